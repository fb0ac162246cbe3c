//! Building command APDUs, ISO/IEC 7816-4 §5.1.

use super::{ApduError, HEADER_LEN, T0Tpdu};
use core::fmt;

/// Largest command data field, Nc (ISO/IEC 7816-4 §5.1: extended Lc `FF FF`).
pub const MAX_NC: usize = 65_535;

/// Largest expected response length, Ne (ISO/IEC 7816-4 §5.1: extended Le `00 00`).
pub const MAX_NE: u32 = 65_536;

/// A command APDU, ISO/IEC 7816-4 §5.1: header, optional data (Nc ≤ 65535
/// bytes) and optional Ne (1..=65536).
///
/// The data is borrowed, so building a command never allocates. The encoding
/// uses the short form when Nc ≤ 255 and Ne ≤ 256, the extended form otherwise
/// or when [`Command::extended`] asks for it; the two forms are never mixed.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Command<'a> {
    cla: u8,
    ins: u8,
    p1: u8,
    p2: u8,
    data: &'a [u8],
    ne: Option<u32>,
    force_extended: bool,
}

impl<'a> Command<'a> {
    /// A case-1 command: header only (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command { cla, ins, p1, p2, data: &[], ne: None, force_extended: false }
    }

    /// A builder that checks every field once, in [`CommandBuilder::build`]
    /// (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn builder(cla: u8, ins: u8, p1: u8, p2: u8) -> CommandBuilder<'a> {
        CommandBuilder { command: Command::new(cla, ins, p1, p2), ne: None }
    }

    /// Attach command data (case 3, or case 4 with an Ne; ISO/IEC 7816-4 §5.1).
    /// An empty slice removes the data field.
    ///
    /// # Errors
    /// [`ApduError::DataTooLong`] beyond 65535 bytes.
    pub const fn with_data(mut self, data: &'a [u8]) -> Result<Self, ApduError> {
        if data.len() > MAX_NC {
            return Err(ApduError::DataTooLong { len: data.len() });
        }
        self.data = data;
        Ok(self)
    }

    /// Expect up to `ne` response bytes (case 2, or case 4 with data;
    /// ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`ApduError::NeOutOfRange`] unless 1 ≤ ne ≤ 65536.
    pub const fn with_ne(mut self, ne: u32) -> Result<Self, ApduError> {
        if ne == 0 || ne > MAX_NE {
            return Err(ApduError::NeOutOfRange { ne });
        }
        self.ne = Some(ne);
        Ok(self)
    }

    /// Remove the Le field (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn without_ne(mut self) -> Self {
        self.ne = None;
        self
    }

    /// Use the extended length form even when the short form would do (for
    /// cards that announce extended lengths and need them, ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn extended(mut self) -> Self {
        self.force_extended = true;
        self
    }

    /// Replace the class byte (to move a command to another logical channel, or
    /// to resend a GET RESPONSE with the class of the command it completes;
    /// ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn with_cla(mut self, cla: u8) -> Self {
        self.cla = cla;
        self
    }

    /// CLA, the class byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn cla(&self) -> u8 {
        self.cla
    }

    /// INS, the instruction byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn ins(&self) -> u8 {
        self.ins
    }

    /// P1, the first parameter byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn p1(&self) -> u8 {
        self.p1
    }

    /// P2, the second parameter byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn p2(&self) -> u8 {
        self.p2
    }

    /// The command data field (empty when there is none; ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Ne, the maximum number of response bytes expected, when present
    /// (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn ne(&self) -> Option<u32> {
        self.ne
    }

    /// The ISO/IEC 7816-4 case, with the form this command encodes to.
    #[must_use]
    pub const fn case(&self) -> super::Case {
        use super::Case;
        let extended = self.is_extended();
        match (self.data.is_empty(), self.ne.is_some(), extended) {
            (true, false, _) => Case::Case1,
            (true, true, false) => Case::Case2Short,
            (true, true, true) => Case::Case2Extended,
            (false, false, false) => Case::Case3Short,
            (false, false, true) => Case::Case3Extended,
            (false, true, false) => Case::Case4Short,
            (false, true, true) => Case::Case4Extended,
        }
    }

    /// Whether the encoding uses the extended length form (ISO/IEC 7816-4
    /// §5.1): Nc > 255, Ne > 256, or extended forced. A case-1 command has no
    /// length field either way.
    #[must_use]
    pub const fn is_extended(&self) -> bool {
        let needs = self.data.len() > 255 || matches!(self.ne, Some(ne) if ne > 256);
        (needs || self.force_extended) && !(self.data.is_empty() && self.ne.is_none())
    }

    /// Number of bytes [`Command::encode_into`] writes (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn encoded_len(&self) -> usize {
        let nc = self.data.len();
        let has_data = nc > 0;
        let has_ne = self.ne.is_some();
        if self.is_extended() {
            // 00 prefix once, then Lc (2) and/or Le (2).
            HEADER_LEN + 1 + if has_data { 2 + nc } else { 0 } + if has_ne { 2 } else { 0 }
        } else {
            HEADER_LEN + if has_data { 1 + nc } else { 0 } + if has_ne { 1 } else { 0 }
        }
    }

    /// Encode into `buf`, returning the filled part (ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`ApduError::BufferTooSmall`] when `buf` is shorter than
    /// [`Command::encoded_len`].
    pub fn encode_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], ApduError> {
        let needed = self.encoded_len();
        let capacity = buf.len();
        let out = buf.get_mut(..needed).ok_or(ApduError::BufferTooSmall { needed, capacity })?;
        let nc = self.data.len();
        let Some((header, body)) = out.split_first_chunk_mut::<HEADER_LEN>() else {
            return Err(ApduError::BufferTooSmall { needed, capacity });
        };
        *header = [self.cla, self.ins, self.p1, self.p2];
        // `body` is exactly as long as the length fields and data need (encoded_len).
        if self.is_extended() {
            // One 00 prefix; Lc as 2 bytes big-endian when there is data (nc ≤ 65535 is checked
            // in with_data); Le as 2 bytes, 65536 as 00 00, when there is an Ne.
            let Some((prefix, rest)) = body.split_first_mut() else { return Ok(out) };
            *prefix = 0x00;
            let rest = if nc > 0 {
                write_field(rest, &u16::try_from(nc).unwrap_or(0).to_be_bytes(), self.data)
            } else {
                rest
            };
            if let (Some(ne), Some(le)) = (self.ne, rest.first_chunk_mut::<2>()) {
                *le = u16::try_from(ne).unwrap_or(0).to_be_bytes();
            }
        } else {
            // Short: Lc in one byte; Le in one byte, 256 as 00.
            let rest =
                if nc > 0 { write_field(body, &[u8::try_from(nc).unwrap_or(0)], self.data) } else { body };
            if let (Some(ne), Some(le)) = (self.ne, rest.first_mut()) {
                *le = u8::try_from(ne).unwrap_or(0);
            }
        }
        Ok(out)
    }

    /// Encode into a `heapless::Vec` of capacity `N` (ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`ApduError::BufferTooSmall`] when the encoding exceeds `N` bytes.
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::Vec<u8, N>, ApduError> {
        let needed = self.encoded_len();
        let mut out = heapless::Vec::<u8, N>::new();
        out.resize(needed, 0).map_err(|_| ApduError::BufferTooSmall { needed, capacity: N })?;
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Encode into a new `Vec` (ISO/IEC 7816-4 §5.1; feature `std`).
    #[cfg(feature = "std")]
    #[must_use]
    pub fn to_vec(&self) -> std::vec::Vec<u8> {
        let mut out = std::vec![0u8; self.encoded_len()];
        // Cannot fail: the buffer has exactly the encoded length.
        let _ = self.encode_into(&mut out);
        out
    }

    /// The T=0 TPDU that carries this command, ISO/IEC 7816-3 §12.2: case 1 gets
    /// P3 = 00, case 2 P3 = Le, cases 3 and 4 P3 = Lc with the data (case 4 drops
    /// Le; the response comes through GET RESPONSE).
    ///
    /// # Errors
    /// [`ApduError::TooLongForT0`] when Nc > 255.
    pub fn to_t0(&self) -> Result<T0Tpdu<'a>, ApduError> {
        T0Tpdu::from_command(self)
    }
}

impl fmt::Debug for Command<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("cla", &format_args!("{:02X}", self.cla))
            .field("ins", &format_args!("{:02X}", self.ins))
            .field("p1", &format_args!("{:02X}", self.p1))
            .field("p2", &format_args!("{:02X}", self.p2))
            .field("data", &super::DataField { ins: self.ins, data: self.data })
            .field("ne", &self.ne)
            .field("extended", &self.is_extended())
            .finish()
    }
}

/// Write a length field and the data after it; return what follows.
fn write_field<'b>(out: &'b mut [u8], length: &[u8], data: &[u8]) -> &'b mut [u8] {
    let Some((field, rest)) = out.split_at_mut_checked(length.len()) else { return &mut [] };
    field.copy_from_slice(length);
    let Some((dst, rest)) = rest.split_at_mut_checked(data.len()) else { return &mut [] };
    dst.copy_from_slice(data);
    rest
}

/// Collects the fields of a [`Command`] and checks them together in
/// [`CommandBuilder::build`] (ISO/IEC 7816-4 §5.1 limits).
#[derive(Debug, Clone, Copy)]
pub struct CommandBuilder<'a> {
    command: Command<'a>,
    ne: Option<u32>,
}

impl<'a> CommandBuilder<'a> {
    /// Set the command data (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn data(mut self, data: &'a [u8]) -> Self {
        self.command.data = data;
        self
    }

    /// Set Ne, the number of response bytes expected (1..=65536; ISO/IEC 7816-4
    /// §5.1).
    #[must_use]
    pub const fn ne(mut self, ne: u32) -> Self {
        self.ne = Some(ne);
        self
    }

    /// Force the extended length form (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn extended(mut self) -> Self {
        self.command.force_extended = true;
        self
    }

    /// Check the fields and produce the command (ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`ApduError::DataTooLong`] or [`ApduError::NeOutOfRange`].
    pub const fn build(self) -> Result<Command<'a>, ApduError> {
        let command = match self.command.with_data(self.command.data) {
            Ok(c) => c,
            Err(e) => return Err(e),
        };
        match self.ne {
            Some(ne) => command.with_ne(ne),
            None => Ok(command),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_chain_agree() {
        let data = [1u8, 2, 3];
        let a = Command::builder(0x00, 0xB0, 0, 0).data(&data).ne(256).build().unwrap();
        let b = Command::new(0x00, 0xB0, 0, 0).with_data(&data).unwrap().with_ne(256).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn limits_are_errors() {
        let big = [0u8; MAX_NC + 1];
        assert_eq!(Command::new(0, 0, 0, 0).with_data(&big), Err(ApduError::DataTooLong { len: 65_536 }));
        assert_eq!(Command::new(0, 0, 0, 0).with_ne(0), Err(ApduError::NeOutOfRange { ne: 0 }));
        assert_eq!(
            Command::builder(0, 0, 0, 0).ne(65_537).build(),
            Err(ApduError::NeOutOfRange { ne: 65_537 })
        );
        let cmd = Command::new(0, 0, 0, 0).with_ne(5).unwrap();
        let mut small = [0u8; 4];
        assert_eq!(cmd.encode_into(&mut small), Err(ApduError::BufferTooSmall { needed: 5, capacity: 4 }));
        assert_eq!(cmd.to_heapless::<4>(), Err(ApduError::BufferTooSmall { needed: 5, capacity: 4 }));
    }

    #[test]
    fn forced_extended_case1_has_no_length_field() {
        let cmd = Command::new(0x00, 0x70, 0x80, 0x01).extended();
        assert!(!cmd.is_extended());
        assert_eq!(cmd.encoded_len(), 4);
    }
}
