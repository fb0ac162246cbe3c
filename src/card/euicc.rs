//! The eUICC through the session: the EID (GSMA SGP.22 §5.7.20, SGP.02 ECASD)
//! read on a logical channel by [`crate::euicc::read_eid`], and whether the
//! card is an eUICC (the ATR's TS 102 221 table 6.7 bit, or an ISD-R that
//! answers).

use super::Sim;
use crate::euicc::{self, EidOptions, EidReading, EuiccError};
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::transport::{Trace, Transport};

impl<T: Transport, H: Trace> Sim<T, H> {
    /// The EID with the default options ([`EidOptions::DEFAULT`]: the known
    /// ISD-R AIDs, the ECASD fallback, a logical channel): five APDUs against
    /// a T=0 eUICC whose ISD-R has the GSMA AID (GSMA SGP.22 §5.7.20).
    ///
    /// # Errors
    /// As [`Sim::eid_with`].
    pub fn eid(&mut self) -> Result<EidReading<'static>, EuiccError<T::Error>> {
        self.eid_with(&EidOptions::DEFAULT)
    }

    /// The EID with `options`. A classic SIM is not asked (no APDU): it has
    /// no logical channels and no ISD-R. When the flow ran on the basic
    /// channel, or failed, the session forgets its selection (GSMA SGP.22 §5.7.20).
    ///
    /// # Errors
    /// [`EuiccError::NotAnEuicc`] when no ISD-R and no ECASD answers;
    /// [`EuiccError::Card`], [`EuiccError::Decode`], [`EuiccError::Link`] as
    /// [`euicc::read_eid`] says.
    pub fn eid_with<'o>(&mut self, options: &EidOptions<'o>) -> Result<EidReading<'o>, EuiccError<T::Error>> {
        if self.profile == Profile::Sim {
            return Err(EuiccError::NotAnEuicc { isd_r: StatusWord::CLA_NOT_SUPPORTED, ecasd: None });
        }
        let result = euicc::read_eid(&mut self.link, options);
        if !matches!(&result, Ok(reading) if reading.channel != 0) {
            self.forget_selection();
        }
        result
    }

    /// Whether the ATR announces eUICC functions (TS 102 221 table 6.7,
    /// resolved Q7), without an APDU.
    #[must_use]
    pub fn atr_announces_euicc(&self) -> bool {
        self.link.atr().is_some_and(euicc::atr_announces_euicc)
    }

    /// Whether the card is an eUICC: the ATR says so, or else an ISD-R (or
    /// the ECASD) answers ([`Sim::eid`], whose APDUs this costs)
    /// (TS 102 221 table 6.7, GSMA SGP.22 §5.7.20).
    ///
    /// # Errors
    /// [`EuiccError::Link`] when the link fails; what the card refuses means
    /// `false`.
    pub fn is_euicc(&mut self) -> Result<bool, EuiccError<T::Error>> {
        if self.atr_announces_euicc() {
            return Ok(true);
        }
        match self.eid() {
            Ok(_) => Ok(true),
            Err(EuiccError::Link(e)) => Err(EuiccError::Link(e)),
            Err(_) => Ok(false),
        }
    }
}
