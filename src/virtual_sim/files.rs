//! The file system of the virtual card: the MF, dedicated files, application
//! DFs and elementary files of ISO/IEC 7816-4 §5.3, 3GPP TS 51.011 §6 and ETSI
//! TS 102 221 §8, with the three EF structures (transparent, linear fixed,
//! cyclic) and their access conditions (TS 51.011 §9.3, TS 102 221 §9.2).
//!
//! This module owns the tree and the bytes of every file. It knows nothing of
//! APDUs: the card asks it to find a file (by identifier, path, AID or short
//! file identifier) and to read or write a range or a record, and maps its
//! [`FsError`]s to status words. Two EFs may share one body (a *link*), as
//! EF_IMSI under DF_GSM and under ADF.USIM do on real cards.

use std::vec::Vec;

/// File identifier of the MF (ISO/IEC 7816-4 §5.3.1.1).
pub const MF: u16 = crate::fs::Fid::MF.0;

pub use crate::fcp::EfStructure as Structure;
pub use crate::fcp::gsm::AccessCondition as Access;

/// Why a file operation failed (the card maps each to its status word) (TS 51.011 §9.4, TS 102 221
/// §10.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsError {
    /// No such file (94 04 / 6A 82) (TS 51.011 §9.4.4, ISO/IEC 7816-4 table 6).
    NotFound,
    /// The operation does not suit the file's structure (94 08 / 69 81)
    /// (TS 51.011 §9.4.4, ISO/IEC 7816-4 table 6).
    WrongStructure,
    /// Offset beyond the end of a transparent EF (94 02 / 6B 00)
    /// (TS 51.011 §9.4.4, ISO/IEC 7816-4 table 6).
    OffsetOutOfRange,
    /// Offset in range but the length runs past the end; `available` bytes
    /// remain from the offset (67 XX / 6C XX) (TS 51.011 §9.4.6, ISO/IEC 7816-4 §5.1.3).
    LengthOutOfRange {
        /// Bytes from the offset to the end of the file (TS 51.011 §9.4.6, ISO/IEC 7816-4 §5.1.3).
        available: usize,
    },
    /// No such record (94 02 / 6A 83) (TS 51.011 §9.4.4, ISO/IEC 7816-4 table 6).
    RecordNotFound,
    /// The data length differs from the record length (67 XX / 67 00)
    /// (TS 51.011 §9.4.6, ISO/IEC 7816-4 table 6).
    WrongRecordLength {
        /// The record length (TS 51.011 §9.2.1 byte 15, TS 102 221 §11.1.1.4.3).
        record_len: usize,
    },
}

/// How to address a record (TS 51.011 §9.2.5 modes; TS 102 221 §11.1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordMode {
    /// The record after the current one (02) (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    Next,
    /// The record before the current one (03) (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    Previous,
    /// Record number n (04 with P1 = n) (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    Absolute(u8),
    /// The current record (04 with P1 = 00) (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    Current,
}

impl RecordMode {
    /// Whether a READ or UPDATE RECORD in this mode moves the record pointer:
    /// NEXT and PREVIOUS do, ABSOLUTE and CURRENT do not (TS 102 221
    /// §11.1.5–§11.1.6, TS 51.011 §9.2.5–§9.2.6).
    #[must_use]
    pub const fn moves_pointer(self) -> bool {
        matches!(self, RecordMode::Next | RecordMode::Previous)
    }
}

/// A node of the tree, named by its index (ISO/IEC 7816-4 §5.3).
pub type NodeId = usize;

/// What kind of file a node is (ISO/IEC 7816-4 §5.3, TS 102 221 §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The master file (ISO/IEC 7816-4 §5.3.1.1).
    Mf,
    /// A dedicated file; with an AID it is an application DF (ADF, TS 102 221 §8.3).
    Df {
        /// The application identifier of an ADF (ISO/IEC 7816-4 §8.2.1.2).
        aid: Option<Vec<u8>>,
    },
    /// An elementary file, whose bytes live in a body (shared by links)
    /// (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Ef {
        /// Index of the body.
        body: usize,
        /// Short file identifier (1–30), TS 102 221 §8.3.
        sfi: Option<u8>,
    },
}

/// A file of the tree (ISO/IEC 7816-4 §5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    fid: u16,
    parent: Option<NodeId>,
    kind: Kind,
}

impl Node {
    /// The file identifier (TS 102 221 §8.3).
    #[must_use]
    pub const fn fid(&self) -> u16 {
        self.fid
    }

    /// The parent DF (`None` for the MF) (ISO/IEC 7816-4 §5.3).
    #[must_use]
    pub const fn parent(&self) -> Option<NodeId> {
        self.parent
    }

    /// What the node is (ISO/IEC 7816-4 §5.3, TS 102 221 §8).
    #[must_use]
    pub const fn kind(&self) -> &Kind {
        &self.kind
    }

    /// Whether it is the MF or a DF (ISO/IEC 7816-4 §5.3).
    #[must_use]
    pub const fn is_df(&self) -> bool {
        !matches!(self.kind, Kind::Ef { .. })
    }
}

/// The bytes and rules of an elementary file
/// (TS 51.011 §6.4, TS 102 221 §8.2.2, access conditions TS 51.011 §9.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    structure: Structure,
    record_len: usize,
    data: Vec<u8>,
    read: Access,
    update: Access,
}

impl Body {
    /// A transparent body (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub fn transparent(data: Vec<u8>, read: Access, update: Access) -> Self {
        Body { structure: Structure::Transparent, record_len: 0, data, read, update }
    }

    /// A record body: `data` is the records one after the other; its length is
    /// cut down to a whole number of records of `record_len` (1–255).
    /// `structure` is [`Structure::LinearFixed`] or [`Structure::Cyclic`];
    /// anything else is taken as linear fixed (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub fn records(
        structure: Structure,
        record_len: usize,
        mut data: Vec<u8>,
        read: Access,
        update: Access,
    ) -> Self {
        let structure =
            if structure == Structure::Cyclic { Structure::Cyclic } else { Structure::LinearFixed };
        let record_len = record_len.clamp(1, 255);
        data.truncate(data.len() - data.len() % record_len);
        Body { structure, record_len, data, read, update }
    }

    /// The structure (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub const fn structure(&self) -> Structure {
        self.structure
    }

    /// The record length (0 for a transparent EF) (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub const fn record_len(&self) -> usize {
        self.record_len
    }

    /// The number of records (0 for a transparent EF) (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub fn record_count(&self) -> usize {
        self.data.len().checked_div(self.record_len).unwrap_or(0)
    }

    /// The whole content (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The access condition for READ (and SEEK) (TS 51.011 §9.3).
    #[must_use]
    pub const fn read_access(&self) -> Access {
        self.read
    }

    /// The access condition for UPDATE (TS 51.011 §9.3).
    #[must_use]
    pub const fn update_access(&self) -> Access {
        self.update
    }

    /// Replace the content (a profile's raw hex); records are cut as in
    /// [`Body::records`] (TS 51.011 §6.4, TS 102 221 §8.2.2).
    pub fn set_data(&mut self, mut data: Vec<u8>) {
        if self.structure != Structure::Transparent {
            data.truncate(data.len() - data.len() % self.record_len.max(1));
        }
        self.data = data;
    }

    /// `len` bytes from `offset` of a transparent EF (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
    ///
    /// # Errors
    /// [`FsError::WrongStructure`], [`FsError::OffsetOutOfRange`],
    /// [`FsError::LengthOutOfRange`].
    pub fn read_binary(&self, offset: usize, len: usize) -> Result<&[u8], FsError> {
        self.binary_range(offset, len).and_then(|r| self.data.get(r).ok_or(FsError::OffsetOutOfRange))
    }

    /// Bytes from `offset` to the end of a transparent EF (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
    ///
    /// # Errors
    /// As [`Body::read_binary`].
    pub fn read_binary_to_end(&self, offset: usize) -> Result<&[u8], FsError> {
        let available = self.data.len().saturating_sub(offset);
        self.read_binary(offset, available)
    }

    /// Write `bytes` at `offset` of a transparent EF (TS 51.011 §9.2.4, TS 102 221 §11.1.4).
    ///
    /// # Errors
    /// As [`Body::read_binary`].
    pub fn update_binary(&mut self, offset: usize, bytes: &[u8]) -> Result<(), FsError> {
        let range = self.binary_range(offset, bytes.len())?;
        let target = self.data.get_mut(range).ok_or(FsError::OffsetOutOfRange)?;
        target.copy_from_slice(bytes);
        Ok(())
    }

    fn binary_range(&self, offset: usize, len: usize) -> Result<core::ops::Range<usize>, FsError> {
        if self.structure != Structure::Transparent {
            return Err(FsError::WrongStructure);
        }
        let size = self.data.len();
        if offset >= size {
            return Err(FsError::OffsetOutOfRange);
        }
        let end = offset.checked_add(len).filter(|&end| end <= size);
        end.map(|end| offset..end).ok_or(FsError::LengthOutOfRange { available: size - offset })
    }

    /// Record `number` (1-based) (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    ///
    /// # Errors
    /// [`FsError::WrongStructure`] for a transparent EF, [`FsError::RecordNotFound`].
    pub fn record(&self, number: usize) -> Result<&[u8], FsError> {
        let range = self.record_range(number)?;
        self.data.get(range).ok_or(FsError::RecordNotFound)
    }

    fn record_range(&self, number: usize) -> Result<core::ops::Range<usize>, FsError> {
        if self.structure == Structure::Transparent {
            return Err(FsError::WrongStructure);
        }
        if number == 0 || number > self.record_count() {
            return Err(FsError::RecordNotFound);
        }
        let start = (number - 1) * self.record_len;
        Ok(start..start + self.record_len)
    }

    /// Resolve `mode` against the current record `current` into a record
    /// number (TS 51.011 §9.2.5: next and previous wrap on a cyclic EF and stop
    /// at the ends of a linear fixed one; next from no current record is the
    /// first, previous the last).
    ///
    /// # Errors
    /// [`FsError::WrongStructure`], [`FsError::RecordNotFound`].
    pub fn resolve(&self, mode: RecordMode, current: Option<usize>) -> Result<usize, FsError> {
        if self.structure == Structure::Transparent {
            return Err(FsError::WrongStructure);
        }
        let count = self.record_count();
        let cyclic = self.structure == Structure::Cyclic;
        let number = match (mode, current) {
            (RecordMode::Absolute(n), _) => usize::from(n),
            (RecordMode::Current, Some(c)) => c,
            (RecordMode::Current, None) => 0,
            (RecordMode::Next, None) => 1,
            (RecordMode::Previous, None) => count,
            (RecordMode::Next, Some(c)) if c >= count => {
                if cyclic {
                    1
                } else {
                    0
                }
            }
            (RecordMode::Next, Some(c)) => c + 1,
            (RecordMode::Previous, Some(c)) if c <= 1 => {
                if cyclic {
                    count
                } else {
                    0
                }
            }
            (RecordMode::Previous, Some(c)) => c - 1,
        };
        if number == 0 || number > count {
            return Err(FsError::RecordNotFound);
        }
        Ok(number)
    }

    /// Overwrite record `number` of a linear fixed EF (TS 51.011 §9.2.6, TS 102 221 §11.1.6).
    ///
    /// # Errors
    /// As [`Body::record`], and [`FsError::WrongRecordLength`].
    pub fn update_record(&mut self, number: usize, bytes: &[u8]) -> Result<(), FsError> {
        let record_len = self.record_len;
        if bytes.len() != record_len && self.structure != Structure::Transparent {
            return Err(FsError::WrongRecordLength { record_len });
        }
        let range = self.record_range(number)?;
        let target = self.data.get_mut(range).ok_or(FsError::RecordNotFound)?;
        target.copy_from_slice(bytes);
        Ok(())
    }

    /// Write a new record into a cyclic EF: the oldest record is overwritten
    /// and becomes record 1 (TS 51.011 §6.4.3, UPDATE RECORD PREVIOUS).
    ///
    /// # Errors
    /// [`FsError::WrongStructure`] unless cyclic, [`FsError::WrongRecordLength`],
    /// [`FsError::RecordNotFound`] for an EF without records.
    pub fn push_cyclic(&mut self, bytes: &[u8]) -> Result<(), FsError> {
        if self.structure != Structure::Cyclic {
            return Err(FsError::WrongStructure);
        }
        let record_len = self.record_len;
        if bytes.len() != record_len {
            return Err(FsError::WrongRecordLength { record_len });
        }
        if self.data.len() < record_len {
            return Err(FsError::RecordNotFound);
        }
        self.data.rotate_right(record_len);
        if let Some(first) = self.data.get_mut(..record_len) {
            first.copy_from_slice(bytes);
        }
        Ok(())
    }
}

/// The tree: nodes (the MF first) and the EF bodies they point to (ISO/IEC 7816-4 §5.3, TS 102 221
/// §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTree {
    nodes: Vec<Node>,
    bodies: Vec<Body>,
}

impl Default for FileTree {
    fn default() -> Self {
        Self::new()
    }
}

impl FileTree {
    /// A tree holding only the MF (node 0) (ISO/IEC 7816-4 §5.3.1.1).
    #[must_use]
    pub fn new() -> Self {
        FileTree { nodes: std::vec![Node { fid: MF, parent: None, kind: Kind::Mf }], bodies: Vec::new() }
    }

    /// The MF (ISO/IEC 7816-4 §5.3.1.1).
    #[must_use]
    pub const fn mf(&self) -> NodeId {
        0
    }

    /// The node `id` (ISO/IEC 7816-4 §5.3).
    #[must_use]
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// All nodes, the MF first (ISO/IEC 7816-4 §5.3).
    #[must_use]
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The body of EF `id` (TS 51.011 §6.4, TS 102 221 §8.2.2).
    #[must_use]
    pub fn body(&self, id: NodeId) -> Option<&Body> {
        match self.node(id)?.kind {
            Kind::Ef { body, .. } => self.bodies.get(body),
            _ => None,
        }
    }

    /// The body of EF `id`, to change it (TS 51.011 §6.4, TS 102 221 §8.2.2).
    pub fn body_mut(&mut self, id: NodeId) -> Option<&mut Body> {
        match self.node(id)?.kind {
            Kind::Ef { body, .. } => self.bodies.get_mut(body),
            _ => None,
        }
    }

    /// Add a DF (or, with an AID, an ADF) under `parent`; an existing child
    /// with that identifier is returned instead (ISO/IEC 7816-4 §5.3, TS 102 221 §8.3).
    pub fn add_df(&mut self, parent: NodeId, fid: u16, aid: Option<Vec<u8>>) -> NodeId {
        if let Some(existing) = self.child(parent, fid) {
            return existing;
        }
        self.nodes.push(Node { fid, parent: Some(parent), kind: Kind::Df { aid } });
        self.nodes.len() - 1
    }

    /// Add an EF under `parent` with its own body; an existing child EF with
    /// that identifier gets the new body instead (ISO/IEC 7816-4 §5.3, TS 102 221 §8.3).
    pub fn add_ef(&mut self, parent: NodeId, fid: u16, sfi: Option<u8>, body: Body) -> NodeId {
        if let Some(existing) = self.child(parent, fid)
            && let Some(slot) = self.body_mut(existing)
        {
            *slot = body;
            return existing;
        }
        self.bodies.push(body);
        let body = self.bodies.len() - 1;
        self.nodes.push(Node { fid, parent: Some(parent), kind: Kind::Ef { body, sfi } });
        self.nodes.len() - 1
    }

    /// Add an EF under `parent` that shares the body of EF `target` (a link) (TS 31.102 §4.2.2 and
    /// TS 51.011 §10.3.2: EF_IMSI in ADF.USIM and DF_GSM).
    pub fn add_link(&mut self, parent: NodeId, fid: u16, sfi: Option<u8>, target: NodeId) -> Option<NodeId> {
        let Kind::Ef { body, .. } = self.node(target)?.kind else { return None };
        if self.child(parent, fid).is_some() {
            return None;
        }
        self.nodes.push(Node { fid, parent: Some(parent), kind: Kind::Ef { body, sfi } });
        Some(self.nodes.len() - 1)
    }

    /// Give EF `id` a short file identifier, or take it away (TS 102 221 §8.3).
    pub fn set_sfi(&mut self, id: NodeId, sfi: Option<u8>) {
        if let Some(Node { kind: Kind::Ef { sfi: slot, .. }, .. }) = self.nodes.get_mut(id) {
            *slot = sfi;
        }
    }

    /// The child of `parent` with identifier `fid` (TS 102 221 §8.3).
    #[must_use]
    pub fn child(&self, parent: NodeId, fid: u16) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.parent == Some(parent) && n.fid == fid)
    }

    /// The children of `parent` (ISO/IEC 7816-4 §5.3).
    pub fn children(&self, parent: NodeId) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes.iter().enumerate().filter(move |(_, n)| n.parent == Some(parent))
    }

    /// The EF child of `df` with short file identifier `sfi` (TS 102 221 §8.4).
    /// Only explicit SFIs count: the card always sends tag 88 in its FCP.
    #[must_use]
    pub fn by_sfi(&self, df: NodeId, sfi: u8) -> Option<NodeId> {
        self.children(df)
            .find(|(_, n)| matches!(n.kind, Kind::Ef { sfi: Some(s), .. } if s == sfi))
            .map(|(i, _)| i)
    }

    /// The ADF whose AID starts with `aid` (right truncation allowed, TS 102 221
    /// §11.1.1.3.1).
    #[must_use]
    pub fn by_aid(&self, aid: &[u8]) -> Option<NodeId> {
        if aid.is_empty() {
            return None;
        }
        self.nodes
            .iter()
            .position(|n| matches!(&n.kind, Kind::Df { aid: Some(full) } if full.starts_with(aid)))
    }

    /// The file at `path`, a list of identifiers from the MF (which may be
    /// included as the first element or left out) (TS 102 221 §8.4.2).
    #[must_use]
    pub fn by_path(&self, path: &[u16]) -> Option<NodeId> {
        let path = match path.split_first() {
            Some((&MF, rest)) => rest,
            _ => path,
        };
        self.walk(self.mf(), path)
    }

    /// The file at `path` relative to DF `from` (TS 102 221 §8.4.2).
    #[must_use]
    pub fn walk(&self, from: NodeId, path: &[u16]) -> Option<NodeId> {
        path.iter().try_fold(from, |at, &fid| if self.node(at)?.is_df() { self.child(at, fid) } else { None })
    }

    /// The identifiers from the MF to `id`, the MF included (TS 102 221 §8.4.2).
    #[must_use]
    pub fn path_of(&self, id: NodeId) -> Vec<u16> {
        let mut path: Vec<u16> = self.ancestors(id).map(|node| node.fid).collect();
        path.reverse();
        path
    }

    /// Node `id`, then its parent, up to the MF (ISO/IEC 7816-4 §5.3: the
    /// tree's DFs hold their files).
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = &Node> {
        // Bounded by the number of nodes: a tree has no cycles, but never loop forever.
        let mut at = Some(id);
        core::iter::from_fn(move || {
            let node = at.and_then(|i| self.node(i))?;
            at = node.parent;
            Some(node)
        })
        .take(self.nodes.len())
    }

    /// The DF that holds `id` (itself for a DF) (ISO/IEC 7816-4 §5.3).
    #[must_use]
    pub fn df_of(&self, id: NodeId) -> NodeId {
        match self.node(id) {
            Some(n) if n.is_df() => id,
            Some(n) => n.parent.unwrap_or(0),
            None => 0,
        }
    }

    /// Counts of the DFs and EFs directly under `df` (TS 51.011 §9.2.1 bytes 15–16).
    #[must_use]
    pub fn child_counts(&self, df: NodeId) -> (usize, usize) {
        self.children(df).fold((0, 0), |(d, e), (_, n)| if n.is_df() { (d + 1, e) } else { (d, e + 1) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (FileTree, NodeId, NodeId) {
        let mut t = FileTree::new();
        let gsm = t.add_df(0, 0x7F20, None);
        let imsi = t.add_ef(
            gsm,
            0x6F07,
            None,
            Body::transparent(std::vec![1, 2, 3], Access::Chv1, Access::Adm(0xA)),
        );
        (t, gsm, imsi)
    }

    #[test]
    fn paths_and_lookup() {
        let (mut t, gsm, imsi) = tree();
        assert_eq!(t.by_path(&[0x3F00, 0x7F20, 0x6F07]), Some(imsi));
        assert_eq!(t.by_path(&[0x7F20, 0x6F07]), Some(imsi));
        assert_eq!(t.by_path(&[0x7F20, 0x6F07, 0x0001]), None);
        assert_eq!(t.path_of(imsi), [0x3F00, 0x7F20, 0x6F07]);
        assert_eq!(t.df_of(imsi), gsm);
        let usim = t.add_df(0, 0x7FF0, Some(std::vec![0xA0, 0, 0, 0, 0x87, 0x10, 0x02, 0xFF]));
        let link = t.add_link(usim, 0x6F07, Some(7), imsi).unwrap();
        assert_eq!(t.by_aid(&[0xA0, 0, 0, 0, 0x87, 0x10, 0x02]), Some(usim));
        assert_eq!(t.by_aid(&[0xA0, 0, 0, 0, 0x87, 0x10, 0x04]), None);
        assert_eq!(t.by_sfi(usim, 7), Some(link));
        t.body_mut(link).unwrap().update_binary(1, &[9]).unwrap();
        assert_eq!(t.body(imsi).unwrap().data(), &[1, 9, 3], "a link shares the body");
        assert_eq!(t.child_counts(0), (2, 0));
        assert_eq!(t.child_counts(gsm), (0, 1));
    }

    #[test]
    fn binary_ranges() {
        let b = Body::transparent(std::vec![1, 2, 3, 4], Access::Always, Access::Always);
        assert_eq!(b.read_binary(1, 2), Ok(&[2, 3][..]));
        assert_eq!(b.read_binary(4, 1), Err(FsError::OffsetOutOfRange));
        assert_eq!(b.read_binary(3, 2), Err(FsError::LengthOutOfRange { available: 1 }));
        assert_eq!(b.read_binary(usize::MAX, 2), Err(FsError::OffsetOutOfRange));
        assert_eq!(b.read_binary_to_end(2), Ok(&[3, 4][..]));
        assert_eq!(b.record(1), Err(FsError::WrongStructure));
    }

    #[test]
    fn linear_fixed_records_stop_at_the_ends() {
        let mut b = Body::records(
            Structure::LinearFixed,
            2,
            std::vec![1, 1, 2, 2, 3, 3, 9],
            Access::Always,
            Access::Always,
        );
        assert_eq!(b.record_count(), 3, "the partial record is cut");
        assert_eq!(b.resolve(RecordMode::Next, None), Ok(1));
        assert_eq!(b.resolve(RecordMode::Previous, None), Ok(3));
        assert_eq!(b.resolve(RecordMode::Next, Some(3)), Err(FsError::RecordNotFound));
        assert_eq!(b.resolve(RecordMode::Previous, Some(1)), Err(FsError::RecordNotFound));
        assert_eq!(b.resolve(RecordMode::Current, None), Err(FsError::RecordNotFound));
        assert_eq!(b.resolve(RecordMode::Absolute(4), None), Err(FsError::RecordNotFound));
        assert_eq!(b.update_record(2, &[7]), Err(FsError::WrongRecordLength { record_len: 2 }));
        b.update_record(2, &[7, 7]).unwrap();
        assert_eq!(b.record(2), Ok(&[7, 7][..]));
        assert_eq!(b.push_cyclic(&[1, 1]), Err(FsError::WrongStructure));
    }

    #[test]
    fn cyclic_records_wrap_and_rotate() {
        let mut b = Body::records(Structure::Cyclic, 1, std::vec![1, 2, 3], Access::Always, Access::Always);
        assert_eq!(b.resolve(RecordMode::Next, Some(3)), Ok(1));
        assert_eq!(b.resolve(RecordMode::Previous, Some(1)), Ok(3));
        b.push_cyclic(&[9]).unwrap();
        // The oldest record (3) is gone; the new one is record 1.
        assert_eq!(b.data(), &[9, 1, 2]);
    }
}
