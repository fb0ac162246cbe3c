//! Reading and updating EFs: READ/UPDATE BINARY (TS 51.011 §9.2.3–§9.2.4,
//! TS 102 221 §11.1.3–§11.1.4) and READ/UPDATE RECORD (TS 51.011
//! §9.2.5–§9.2.6, TS 102 221 §11.1.5–§11.1.6), with the file information of
//! SELECT ([`crate::fcp::FileSummary`]).
//!
//! Transparent files are read and written in pieces of at most 256 bytes (255
//! for an update: Lc is one byte), so any length works. A read stops early at
//! the end of the file: the card says so with 62 82, with 6C XX (the completion
//! layer resends with the shorter Le), with 67 XX on a classic SIM (TS 51.011
//! §9.4.6: XX is the right length; the completion layer resends), or with an offset
//! error at a piece boundary. A card that refuses a length with 67 00 and
//! does not name the right one (TS 51.011 §9.4.6 allows XX = 00; ISO/IEC
//! 7816-4 §5.1.3 defines only 67 00) is asked once for the file's size or
//! record length through SELECT's file information, and the read is resent.
//!
//! On a UICC, READ and UPDATE BINARY address a file by its short file
//! identifier (P1 = 1 0 0 + SFI, TS 102 221 §11.1.3.2) when the file is in the
//! current DF but not selected yet: that replaces the SELECT. The session
//! knows the SFIs of TS 102 221 §13 ([`sfi`]); a card that refuses one is read
//! through SELECT from then on.

use super::select::{Current, Target};
use super::{CardCommand, Sim, SimError};
use crate::apdu::Command;
use crate::fcp::FileSummary;
use crate::fs::{self, Fid};
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::transport::{Trace, Transport};

use crate::ins::{READ_BINARY, READ_RECORD, UPDATE_BINARY, UPDATE_RECORD};

/// P2 of READ/UPDATE RECORD: absolute mode, record number in P1, current EF
/// (TS 51.011 §9.2.5, TS 102 221 §11.1.5.2).
const ABSOLUTE: u8 = 0x04;

/// Most bytes one READ BINARY returns (Le = 00, short APDU).
const READ_PIECE: usize = 256;
/// Most bytes one UPDATE BINARY carries (Lc is one byte).
const UPDATE_PIECE: usize = 255;

/// The short file identifier of `path` (from the MF, or from the current ADF
/// 7FFF): the one [`crate::fs`] gives the file (TS 102 221 §13: EF_DIR 1E,
/// EF_ICCID 02; TS 31.102 §4.2: EF_IMSI 07, EF_AD 03, EF_UST 04 …).
#[must_use]
pub fn sfi(path: &[Fid]) -> Option<u8> {
    let path = match path.split_first() {
        Some((&Fid::MF, rest)) => rest,
        _ => path,
    };
    fs::by_path(path).and_then(|file| file.sfi)
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// Select the file at `path` (from the MF; 3F00 may lead or not), unless it
    /// is selected already. No file information is fetched (TS 51.011 §9.2.1, TS 102 221 §11.1.1).
    ///
    /// # Errors
    /// [`SimError::Card`] with the SELECT's status word (6A 82 / 94 04: no such
    /// file); [`SimError::InvalidPath`]; [`SimError::Link`].
    pub fn select(&mut self, path: &[Fid]) -> Result<(), SimError<T::Error>> {
        let target = Target::parse(path)?;
        self.select_target(&target, false).map(|_| ())
    }

    /// Select `fid` in the current DF (an EF or a child DF), or the MF, by its
    /// identifier alone (TS 51.011 §6.5, TS 102 221 §8.4.1); elsewhere, give
    /// [`Sim::select`] a path. Tracked like a path; when the session does not
    /// know the current DF, the SELECT is sent as is and the selection stays
    /// unknown.
    ///
    /// # Errors
    /// As [`Sim::select`].
    pub fn select_fid(&mut self, fid: Fid) -> Result<(), SimError<T::Error>> {
        if fid == Fid::MF {
            return self.select(&[Fid::MF]);
        }
        let Some(df) = self.current.df else {
            let data = fid.to_bytes();
            let p2 = if self.profile == Profile::Sim { 0x00 } else { self.quiet_select_p2 };
            // Selected on success or a warning (62 83: deactivated), as every SELECT.
            return self.send_select(0x00, p2, &data, false).map(|_| ());
        };
        let mut path: heapless::Vec<Fid, { super::select::MAX_DEPTH + 1 }> = heapless::Vec::new();
        let here = df.as_slice();
        if path.extend_from_slice(here).is_err() || path.push(fid).is_err() {
            return Err(SimError::PathTooDeep { len: here.len() + 1, max: super::select::MAX_DEPTH });
        }
        self.select(&path)
    }

    /// Select the file at `path` and return what SELECT says about it (the
    /// TS 51.011 §9.2.1 response or the TS 102 221 FCP), written into `out`.
    /// Costs the SELECT and its GET RESPONSE on T=0, even when the file is
    /// selected already.
    ///
    /// # Errors
    /// As [`Sim::select`]; [`SimError::BufferTooSmall`]; [`SimError::Decode`]
    /// for a response neither layout accepts.
    pub fn file_info<'b>(
        &mut self,
        path: &[Fid],
        out: &'b mut [u8],
    ) -> Result<FileSummary<'b>, SimError<T::Error>> {
        let target = Target::parse(path)?;
        let len = self.select_target(&target, true)?;
        let bytes = self.copy_out(len, out)?;
        let summary = FileSummary::from_response(bytes)?;
        if let (Some(length), true) = (summary.record_length, summary.kind.is_ef()) {
            self.current.record_length = Some(length);
        }
        Ok(summary)
    }

    /// Read `out.len()` bytes of the transparent EF at `path` from `offset`, in
    /// pieces of 256; returns the bytes read, fewer when the file ends first
    /// (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
    ///
    /// # Errors
    /// [`SimError::Card`] (69 82 / 98 04: access condition not fulfilled; 69 81 / 94 08: not
    /// a transparent file …); [`SimError::OffsetOutOfRange`]; as [`Sim::select`].
    pub fn read_binary<'b>(
        &mut self,
        path: &[Fid],
        offset: usize,
        out: &'b mut [u8],
    ) -> Result<&'b [u8], SimError<T::Error>> {
        let (target, ef) = Target::parse_ef(path)?;
        let mut by_sfi = self.reach(&target, ef, path, offset)?;
        let mut sfi_in_doubt = false;
        let mut done = 0;
        let mut exact: Option<usize> = None;
        let mut asked = false;
        while done < out.len() {
            let at = offset + done;
            // A length the file's size gave is where the file ends.
            let ends_here = exact.is_some();
            let want = exact.take().unwrap_or(READ_PIECE.min(out.len() - done));
            let (p1, p2) = match by_sfi {
                Some(sfi) => (0x80 | sfi, u8::try_from(at).unwrap_or(0)),
                None => self.offset_p1_p2(at)?,
            };
            let command = Command::new(self.profile.cla(), READ_BINARY, p1, p2);
            let command = command.with_ne(u32::try_from(want).unwrap_or(256)).unwrap_or(command);
            let (sw, len) = self.exchange(&command)?;
            let success = super::succeeded(sw, self.profile) || sw == StatusWord::END_OF_FILE;
            if self.learn_about_sfi(&target, by_sfi.take().is_some(), success, sw, &mut sfi_in_doubt)? {
                continue;
            }
            if success {
                let piece = self.data(len.min(want));
                let n = piece.len();
                if let Some(dst) = out.get_mut(done..done + n) {
                    dst.copy_from_slice(piece);
                }
                done += n;
                if n < want || ends_here || sw == StatusWord::END_OF_FILE {
                    break;
                }
                continue;
            }
            if sw.sw1() == 0x67 && !asked {
                // 67 00: wrong length, and the card does not say which.
                asked = true;
                if let Some(size) = self.lengths_from_file_info(path)?.size {
                    match usize::try_from(size).unwrap_or(usize::MAX).checked_sub(at) {
                        Some(0) | None if done > 0 => break,
                        Some(left) if left > 0 && left < want => {
                            exact = Some(left);
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            if done > 0
                && matches!(
                    sw,
                    StatusWord::WRONG_P1_P2 | StatusWord::INCORRECT_P1_P2 | StatusWord::SIM_OUT_OF_RANGE
                )
            {
                // The file ended at a piece boundary.
                break;
            }
            return Err(self.card_error(CardCommand::ReadBinary, sw));
        }
        Ok(out.get(..done).unwrap_or_default())
    }

    /// Write `data` into the transparent EF at `path` from `offset`, in pieces
    /// of 255 bytes (TS 51.011 §9.2.4, TS 102 221 §11.1.4). An offset that
    /// P1 P2 cannot carry is refused before anything is written; a card error
    /// on a later piece leaves the pieces before it written.
    ///
    /// # Errors
    /// [`SimError::Card`] (69 82 / 98 04: the access condition, often ADM, is
    /// not met …); [`SimError::OffsetOutOfRange`] before the first piece; as
    /// [`Sim::read_binary`].
    pub fn update_binary(
        &mut self,
        path: &[Fid],
        offset: usize,
        data: &[u8],
    ) -> Result<(), SimError<T::Error>> {
        let (target, ef) = Target::parse_ef(path)?;
        // Every piece's offset must fit P1 P2 before the first is written.
        if let Some(last) = data.len().checked_sub(1) {
            self.offset_p1_p2(offset.saturating_add(last / UPDATE_PIECE * UPDATE_PIECE))?;
        }
        let mut by_sfi = self.reach(&target, ef, path, offset)?;
        let mut sfi_in_doubt = false;
        let mut done = 0;
        while done < data.len() {
            let at = offset + done;
            let piece = data.get(done..data.len().min(done + UPDATE_PIECE)).unwrap_or_default();
            let (p1, p2) = match by_sfi {
                Some(sfi) => (0x80 | sfi, u8::try_from(at).unwrap_or(0)),
                None => self.offset_p1_p2(at)?,
            };
            let command = Command::new(self.profile.cla(), UPDATE_BINARY, p1, p2);
            let command = command.with_data(piece).unwrap_or(command);
            let (sw, _) = self.exchange(&command)?;
            let updated = self.is_updated(sw);
            if self.learn_about_sfi(&target, by_sfi.take().is_some(), updated, sw, &mut sfi_in_doubt)? {
                continue;
            }
            if !updated {
                return Err(self.card_error(CardCommand::UpdateBinary, sw));
            }
            done += piece.len();
        }
        Ok(())
    }

    /// Read record `number` (1–254) of the record EF at `path` into `out`;
    /// returns the record. The record length is asked for as Le = 00 until the
    /// session knows it (from [`Sim::file_info`] or an earlier read); a card
    /// that wants the exact length says so (6C XX, or 67 XX on a classic SIM)
    /// and gets it; one that answers 67 00 gets the record length SELECT's
    /// file information gives (TS 51.011 §9.2.1 byte 15, TS 102 221
    /// §11.1.1.4.3 tag 82).
    ///
    /// # Errors
    /// [`SimError::Card`] (6A 83 / 94 02: no such record …);
    /// [`SimError::RecordNumber`] for 0 or 255;
    /// [`SimError::BufferTooSmall`] when the record is longer than `out`; as
    /// [`Sim::select`].
    pub fn read_record<'b>(
        &mut self,
        path: &[Fid],
        number: u8,
        out: &'b mut [u8],
    ) -> Result<&'b [u8], SimError<T::Error>> {
        let (target, _) = Target::parse_ef(path)?;
        Self::check_record_number(number)?;
        self.select_target(&target, false)?;
        let mut ne = self.current.record_length.map_or(256, usize::from);
        let mut asked = false;
        loop {
            let command = Command::new(self.profile.cla(), READ_RECORD, number, ABSOLUTE);
            let command = command.with_ne(u32::try_from(ne).unwrap_or(256)).unwrap_or(command);
            let (sw, len) = self.exchange(&command)?;
            if super::succeeded(sw, self.profile) || sw == StatusWord::END_OF_FILE {
                self.current.record_length = u16::try_from(len).ok();
                return self.copy_out(len, out);
            }
            if sw.sw1() == 0x67 && !asked {
                // 67 00: wrong length, and the card does not say which.
                asked = true;
                if let Some(length) = self.lengths_from_file_info(path)?.record_length.map(usize::from)
                    && length != ne
                {
                    ne = length;
                    continue;
                }
            }
            return Err(self.card_error(CardCommand::ReadRecord, sw));
        }
    }

    /// Write record `number` (1–254) of the record EF at `path`; `data` is the
    /// whole record (TS 51.011 §9.2.6, TS 102 221 §11.1.6).
    ///
    /// # Errors
    /// [`SimError::RecordNumber`] for 0 or 255;
    /// [`SimError::WrongRecordLength`] when the session knows the record length
    /// and `data` differs; [`SimError::Card`]; as [`Sim::select`].
    pub fn update_record(&mut self, path: &[Fid], number: u8, data: &[u8]) -> Result<(), SimError<T::Error>> {
        let (target, _) = Target::parse_ef(path)?;
        Self::check_record_number(number)?;
        self.select_target(&target, false)?;
        if let Some(length) = self.current.record_length.map(usize::from)
            && length != data.len()
        {
            return Err(SimError::WrongRecordLength { len: data.len(), record_length: length });
        }
        let command = Command::new(self.profile.cla(), UPDATE_RECORD, number, ABSOLUTE);
        let command = command
            .with_data(data)
            .map_err(|e| SimError::Link(crate::transport::CompletionError::Command(e)))?;
        let (sw, _) = self.exchange(&command)?;
        if self.is_updated(sw) { Ok(()) } else { Err(self.card_error(CardCommand::UpdateRecord, sw)) }
    }

    fn check_record_number(number: u8) -> Result<(), SimError<T::Error>> {
        if matches!(number, 0x00 | 0xFF) {
            return Err(SimError::RecordNumber { number });
        }
        Ok(())
    }

    /// The EF's size and record length as [`Sim::file_info`] reports them
    /// (TS 51.011 §9.2.1 bytes 3–4 and 15; TS 102 221 §11.1.1.4.3 tags 80 and
    /// 82): asked for when a card refuses a read's length with 67 00 and does
    /// not name the right one. A response that does not decode gives no
    /// lengths, so the caller reports the card's 67 00.
    fn lengths_from_file_info(&mut self, path: &[Fid]) -> Result<Lengths, SimError<T::Error>> {
        let mut response = [0u8; 258];
        match self.file_info(path, &mut response) {
            Ok(summary) => Ok(Lengths { size: summary.size, record_length: summary.record_length }),
            Err(SimError::Decode(_) | SimError::BufferTooSmall { .. }) => Ok(Lengths::default()),
            Err(e) => Err(e),
        }
    }

    /// Make the EF `ef` of `target` reachable: selected already, selected now,
    /// or (returned) addressable by SFI in the next command.
    fn reach(
        &mut self,
        target: &Target,
        ef: Fid,
        path: &[Fid],
        offset: usize,
    ) -> Result<Option<u8>, SimError<T::Error>> {
        let in_df = self.current.df == Some(target.df) && self.current.ef != Some(ef);
        let sfi = match (self.profile, self.sfi, in_df, offset <= 0xFF) {
            (Profile::Uicc, true, true, true) => sfi(path),
            _ => None,
        };
        if sfi.is_none() {
            self.select_target(target, false)?;
        }
        Ok(sfi)
    }

    /// What a READ or UPDATE BINARY answered `sw` (`worked` or not) says
    /// about SFIs; `by_sfi` when it named its file by SFI. Returns whether to
    /// send it again, the file now selected.
    ///
    /// By SFI and worked: the file is current. By SFI and failed: whatever
    /// the card made current (ISO/IEC 7816-4 §7.2.2 makes the EF current,
    /// some cards even when the command then fails), the session no longer
    /// knows the current EF; when the answer may mean the card does not take
    /// the SFI, the file is selected and the command goes again, `in_doubt`.
    /// The command sent again after a SELECT works: it was the SFI, so SFIs
    /// are off for the session; it fails the same way: it was not.
    fn learn_about_sfi(
        &mut self,
        target: &Target,
        by_sfi: bool,
        worked: bool,
        sw: StatusWord,
        in_doubt: &mut bool,
    ) -> Result<bool, SimError<T::Error>> {
        if !by_sfi {
            if core::mem::take(in_doubt) && worked {
                self.sfi = false;
            }
            return Ok(false);
        }
        if worked {
            self.current = Current::at(*target);
            return Ok(false);
        }
        self.current = Current { ef: None, record_length: None, ..self.current };
        if !sfi_refused(sw) {
            return Ok(false);
        }
        *in_doubt = true;
        self.select_target(target, false)?;
        Ok(true)
    }

    /// Whether an UPDATE BINARY or UPDATE RECORD answered `sw` wrote the
    /// data: done, done after internal retries (TS 51.011 §9.4.3: 92 0X;
    /// TS 102 221 §10.2.1.3: 63 CX after a command that presents no code), or
    /// on a UICC done with information on a data transfer session (92 XX,
    /// TS 102 221 §10.2.1.1).
    fn is_updated(&self, sw: StatusWord) -> bool {
        let [sw1, sw2] = sw.to_bytes();
        sw.is_done()
            || (sw1 == 0x92 && super::succeeded(sw, self.profile))
            || (self.profile == Profile::Uicc && sw1 == 0x63 && sw2 & 0xF0 == 0xC0)
    }

    /// P1 P2 of READ/UPDATE BINARY for `offset`: 15 bits on a UICC (b8 of P1
    /// marks an SFI, TS 102 221 §11.1.3.2), 16 bits on a SIM.
    fn offset_p1_p2(&self, offset: usize) -> Result<(u8, u8), SimError<T::Error>> {
        let max = if self.profile == Profile::Sim { 0xFFFF } else { 0x7FFF };
        match u16::try_from(offset) {
            Ok(at) if usize::from(at) <= max => Ok((at.to_be_bytes()[0], at.to_be_bytes()[1])),
            _ => Err(SimError::OffsetOutOfRange { offset }),
        }
    }
}

/// What SELECT says about an EF's lengths.
#[derive(Debug, Default, Clone, Copy)]
struct Lengths {
    size: Option<u32>,
    record_length: Option<u16>,
}

/// Whether `sw`, answering a command that named a file by SFI, may mean the
/// card does not know that SFI: file not found, wrong parameters, function not
/// supported (TS 102 221 §10.2.1.5). Selecting the file then tells the rest.
const fn sfi_refused(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::FILE_NOT_FOUND
            | StatusWord::INCORRECT_P1_P2
            | StatusWord::WRONG_P1_P2
            | StatusWord::FUNCTION_NOT_SUPPORTED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sfis_of_ts_102_221_section_13() {
        assert_eq!(sfi(fs::EF_ICCID.path), Some(0x02));
        assert_eq!(sfi(fs::EF_ICCID.path_from_mf()), Some(0x02));
        assert_eq!(sfi(fs::EF_DIR.path), Some(0x1E));
        assert_eq!(sfi(fs::EF_IMSI.path), None);
        // TS 31.102 §4.2: the USIM's EF_IMSI 07, EF_UST 04, EF_EHPLMN 1D; EF_SPN none.
        assert_eq!(sfi(fs::USIM_EF_IMSI.path), Some(0x07));
        assert_eq!(sfi(fs::USIM_EF_UST.path), Some(0x04));
        assert_eq!(sfi(fs::USIM_EF_EHPLMN.path), Some(0x1D));
        assert_eq!(sfi(fs::USIM_EF_SPN.path), None);
    }
}
