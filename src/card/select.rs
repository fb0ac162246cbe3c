//! File selection with tracking: TS 51.011 §6.5 and §9.2.1 (what a classic SIM
//! can select from the current DF, SELECT by FID only) and TS 102 221 §8.4 and
//! §11.1.1 (SELECT by FID or by path from the MF, with or without the FCP).
//!
//! The session remembers the current DF (as its path from the MF) and the
//! current EF, so a file already selected costs nothing and a file in the
//! current DF costs one SELECT. On a UICC any other file costs one SELECT by
//! path (P1 = 08); on a classic SIM, which selects by FID only, the session
//! walks the shortest legal way: down from the current DF, across to a sibling
//! DF, up to the parent, or from the MF. File information (the TS 51.011
//! response or the FCP) is asked for only when the caller needs it: P2 = 0C on
//! a UICC, and no GET RESPONSE after the SIM's 9FXX.
//!
//! DF and EF are told apart by the first byte of the FID (TS 51.011 §6.6): 3F
//! the MF, 7F and 5F DFs (7FFF the current ADF), anything else an EF.

use super::{CardCommand, CardStatus, Sim, SimError};
use crate::apdu::Command;
use crate::fs::Fid;
use crate::profile::Profile;
use crate::transport::{Trace, Transport};

/// DF levels below the MF the session tracks (the deepest standard path,
/// MF/DF_TELECOM/DF_GRAPHICS/EF, needs 2) (TS 51.011 §6.5, TS 102 221 §8.4).
pub const MAX_DEPTH: usize = 6;

use crate::ins::SELECT;

/// Whether `fid` names a DF (or the MF) by the TS 51.011 §6.6 convention kept
/// by TS 102 221 §8.3: first byte 3F (MF), 7F (first-level DF, 7FFF the
/// current ADF) or 5F (second-level DF).
#[must_use]
pub const fn is_df(fid: Fid) -> bool {
    matches!(fid.to_bytes()[0], 0x3F | 0x7F | 0x5F)
}

/// A DF as its path from the MF, MF excluded (empty for the MF). Identifiers
/// past `len` are always 3F00, so the derived equality compares paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct DfPath {
    fids: [Fid; MAX_DEPTH],
    len: usize,
}

impl DfPath {
    /// The MF.
    pub(crate) const MF: Self = DfPath { fids: [Fid::MF; MAX_DEPTH], len: 0 };

    /// The DF whose path from the MF is `fids`.
    fn new(fids: &[Fid]) -> Option<Self> {
        let mut path = DfPath::MF;
        path.fids.get_mut(..fids.len())?.copy_from_slice(fids);
        path.len = fids.len();
        Some(path)
    }

    pub(crate) fn as_slice(&self) -> &[Fid] {
        self.fids.get(..self.len).unwrap_or_default()
    }

    /// The FID that selects this DF: its own, or 3F00 for the MF.
    fn fid(&self) -> Fid {
        self.as_slice().last().copied().unwrap_or(Fid::MF)
    }

    pub(crate) fn starts_with(&self, other: &DfPath) -> bool {
        self.as_slice().starts_with(other.as_slice())
    }

    /// The parent DF (`None` for the MF).
    fn parent(&self) -> Option<DfPath> {
        let len = self.len.checked_sub(1)?;
        let mut parent = *self;
        if let Some(dropped) = parent.fids.get_mut(len) {
            *dropped = Fid::MF;
        }
        parent.len = len;
        Some(parent)
    }

    /// The identifiers after the first `skip`.
    fn after(&self, skip: usize) -> &[Fid] {
        self.as_slice().get(skip..).unwrap_or_default()
    }
}

/// A file to select: its DF and, for an EF, its FID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub(crate) df: DfPath,
    pub(crate) ef: Option<Fid>,
}

impl Target {
    /// Read a path from the MF (a leading 3F00 may be given or not).
    pub(crate) fn parse<E>(path: &[Fid]) -> Result<Self, SimError<E>> {
        let path = match path.split_first() {
            Some((&Fid::MF, rest)) => rest,
            _ => path,
        };
        let (dfs, ef) = match path.split_last() {
            Some((&last, dfs)) if !is_df(last) => (dfs, Some(last)),
            _ => (path, None),
        };
        if dfs.iter().any(|&fid| !is_df(fid) || fid == Fid::MF) {
            return Err(SimError::InvalidPath { reason: "every identifier before the last must name a DF" });
        }
        let df = DfPath::new(dfs).ok_or(SimError::PathTooDeep { len: path.len(), max: MAX_DEPTH + 1 })?;
        Ok(Target { df, ef })
    }

    /// The same, requiring an EF.
    pub(crate) fn parse_ef<E>(path: &[Fid]) -> Result<(Self, Fid), SimError<E>> {
        let target = Self::parse(path)?;
        match target.ef {
            Some(ef) => Ok((target, ef)),
            None => Err(SimError::InvalidPath { reason: "the path names a DF; this command needs an EF" }),
        }
    }
}

/// What the session knows is selected (TS 102 221 §8.4: the current DF and EF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Current {
    /// The current DF, `None` when unknown (before the first SELECT, after a
    /// failed one, after raw commands).
    pub(crate) df: Option<DfPath>,
    /// The current EF.
    pub(crate) ef: Option<Fid>,
    /// The current EF's record length, once learned.
    pub(crate) record_length: Option<u16>,
}

impl Current {
    pub(crate) const UNKNOWN: Self = Current { df: None, ef: None, record_length: None };
    /// The MF and no EF: after a SELECT MF, or after the answer to reset (TS 51.011 §6.5).
    pub(crate) const MF: Self = Current::at(Target { df: DfPath::MF, ef: None });

    pub(crate) const fn at(target: Target) -> Self {
        Current { df: Some(target.df), ef: target.ef, record_length: None }
    }

    /// Whether `target` is selected now.
    pub(crate) fn is(&self, target: &Target) -> bool {
        self.df == Some(target.df) && self.ef == target.ef
    }
}

/// The DF selections a classic SIM needs to go from `current` to `target`
/// (TS 51.011 §6.5: from the current DF it can select the MF, the current DF,
/// its parent, its children and the children of its parent), shortest first.
fn sim_df_steps(current: Option<DfPath>, target: DfPath) -> heapless::Vec<Fid, { MAX_DEPTH + 1 }> {
    let mut best: heapless::Vec<Fid, { MAX_DEPTH + 1 }> = heapless::Vec::new();
    // From the MF: always possible.
    let _ = best.push(Fid::MF);
    let _ = best.extend_from_slice(target.as_slice());
    let Some(current) = current else { return best };
    let mut consider = |steps: &[Fid]| {
        if steps.len() < best.len() {
            best.clear();
            let _ = best.extend_from_slice(steps);
        }
    };
    if target.starts_with(&current) {
        // Down through the children (nothing when already there).
        consider(target.after(current.len));
    }
    if let Some(parent) = current.parent() {
        if target == parent {
            consider(&[parent.fid()]);
        } else if target.starts_with(&parent) && target.len > parent.len {
            // Across to a sibling DF, then down.
            consider(target.after(parent.len));
        }
    }
    best
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// Select `target`; with `info`, ask for the file information and return
    /// its length (the bytes are at the start of the session's buffer).
    pub(crate) fn select_target(&mut self, target: &Target, info: bool) -> Result<usize, SimError<T::Error>> {
        if target.df.as_slice().first() == Some(&Fid::CURRENT_ADF) && !self.ensure_usim()? {
            return Err(SimError::NoUsim);
        }
        let result = match self.profile {
            Profile::Sim => self.select_sim(target, info),
            Profile::Uicc | Profile::Iso7816 => self.select_uicc(target, info),
        };
        match result {
            Ok(len) => {
                if !self.current.is(target) {
                    self.current = Current::at(*target);
                }
                Ok(len)
            }
            Err(e) => {
                self.current = Current::UNKNOWN;
                Err(e)
            }
        }
    }

    /// TS 102 221 §11.1.1: by FID within the current DF, else by path from the
    /// MF; P2 = 04 (FCP) with `info`, 0C without.
    fn select_uicc(&mut self, target: &Target, info: bool) -> Result<usize, SimError<T::Error>> {
        if !info && self.current.is(target) {
            return Ok(0);
        }
        let mut data = [0u8; 2 * (MAX_DEPTH + 1)];
        let in_current_df = self.current.df == Some(target.df);
        let (p1, len) = match (target.ef, in_current_df) {
            (Some(ef), true) => (0x00, write_fids(&mut data, &[ef])),
            (None, _) if target.df.len == 0 => (0x00, write_fids(&mut data, &[Fid::MF])),
            (None, true) => (0x00, write_fids(&mut data, &[target.df.fid()])),
            (ef, false) => {
                let n = write_fids(&mut data, target.df.as_slice());
                let m = ef.map_or(0, |ef| write_fids(data.get_mut(n..).unwrap_or_default(), &[ef]));
                (0x08, n + m)
            }
        };
        let p2 = if info { 0x04 } else { self.quiet_select_p2 };
        self.send_select(p1, p2, data.get(..len).unwrap_or_default(), info)
    }

    /// TS 51.011 §9.2.1: one SELECT per FID along the shortest legal way; the
    /// last one followed by GET RESPONSE with `info`.
    fn select_sim(&mut self, target: &Target, info: bool) -> Result<usize, SimError<T::Error>> {
        let mut steps = sim_df_steps(self.current.df, target.df);
        let ef_current = steps.is_empty() && target.ef.is_some() && self.current.ef == target.ef;
        if let Some(ef) = target.ef
            && !ef_current
        {
            let _ = steps.push(ef);
        }
        if steps.is_empty() {
            if !info {
                return Ok(0);
            }
            // Select the file again to get its response.
            let _ = steps.push(target.ef.unwrap_or(target.df.fid()));
        }
        let last = steps.len().saturating_sub(1);
        let mut len = 0;
        for (i, fid) in steps.iter().enumerate() {
            len = self.send_select(0x00, 0x00, &fid.to_bytes(), info && i == last)?;
        }
        Ok(len)
    }

    pub(crate) fn send_select(
        &mut self,
        p1: u8,
        p2: u8,
        data: &[u8],
        info: bool,
    ) -> Result<usize, SimError<T::Error>> {
        let command = Command::new(self.profile.cla(), SELECT, p1, p2);
        let command = command.with_data(data).unwrap_or(command);
        let command = if info { command.with_ne(256).unwrap_or(command) } else { command };
        let (sw, len) = self.exchange(&command)?;
        // 61XX / 9FXX without a GET RESPONSE, 91XX, and warnings such as 62 83
        // (file deactivated) all mean the file is selected.
        if super::selected(sw, self.profile) {
            Ok(len)
        } else {
            Err(SimError::Card {
                command: CardCommand::Select,
                status: CardStatus { sw, profile: self.profile },
            })
        }
    }
}

/// Write each FID's two bytes into `out`; return the length written.
fn write_fids(out: &mut [u8], fids: &[Fid]) -> usize {
    let mut n = 0;
    for (slot, fid) in out.chunks_exact_mut(2).zip(fids) {
        slot.copy_from_slice(&fid.to_bytes());
        n += 2;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn df(fids: &[u16]) -> DfPath {
        let fids: heapless::Vec<Fid, MAX_DEPTH> = fids.iter().map(|&f| Fid(f)).collect();
        DfPath::new(&fids).unwrap()
    }

    fn steps(current: Option<&[u16]>, target: &[u16]) -> std::vec::Vec<u16> {
        sim_df_steps(current.map(df), df(target)).iter().map(|f| f.0).collect()
    }

    /// The selection rules of TS 51.011 §6.5 (figure 5 of the tree).
    #[test]
    fn sim_walks_the_shortest_legal_way() {
        // Unknown: from the MF.
        assert_eq!(steps(None, &[0x7F20]), [0x3F00, 0x7F20]);
        assert_eq!(steps(None, &[]), [0x3F00]);
        // Already there: nothing.
        assert_eq!(steps(Some(&[0x7F20]), &[0x7F20]), [] as [u16; 0]);
        // A child.
        assert_eq!(steps(Some(&[]), &[0x7F10]), [0x7F10]);
        assert_eq!(steps(Some(&[0x7F10]), &[0x7F10, 0x5F50]), [0x5F50]);
        // A sibling, then down.
        assert_eq!(steps(Some(&[0x7F10]), &[0x7F20]), [0x7F20]);
        assert_eq!(steps(Some(&[0x7F10, 0x5F50]), &[0x7F10, 0x5F3A]), [0x5F3A]);
        // The parent.
        assert_eq!(steps(Some(&[0x7F10, 0x5F50]), &[0x7F10]), [0x7F10]);
        assert_eq!(steps(Some(&[0x7F20]), &[]), [0x3F00]);
        // Up to the MF from a first-level DF, with its FID.
        assert_eq!(df(&[0x7F20]).parent(), Some(DfPath::MF));
        // A cousin: from the MF.
        assert_eq!(steps(Some(&[0x7F10, 0x5F50]), &[0x7F20]), [0x3F00, 0x7F20]);
    }

    #[test]
    fn paths_are_checked() {
        let t = Target::parse::<()>(&[Fid::MF, Fid::DF_GSM, Fid(0x6F07)]).unwrap();
        assert_eq!((t.df, t.ef), (df(&[0x7F20]), Some(Fid(0x6F07))));
        assert_eq!(Target::parse::<()>(&[Fid(0x2FE2)]).unwrap().df, DfPath::MF);
        assert_eq!(Target::parse::<()>(&[Fid::MF]).unwrap(), Target { df: DfPath::MF, ef: None });
        assert!(matches!(
            Target::parse::<()>(&[Fid(0x6F07), Fid(0x6F07)]),
            Err(SimError::InvalidPath { .. })
        ));
        assert!(matches!(Target::parse_ef::<()>(&[Fid::DF_GSM]), Err(SimError::InvalidPath { .. })));
        let deep = [Fid(0x7F10); MAX_DEPTH + 1];
        assert!(matches!(Target::parse::<()>(&deep), Err(SimError::PathTooDeep { .. })));
        assert!(is_df(Fid(0x5F3A)) && is_df(Fid::CURRENT_ADF) && !is_df(Fid(0x4F30)) && !is_df(Fid(0x2FE2)));
    }
}
