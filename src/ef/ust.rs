//! EF_UST (6F38 in ADF.USIM): the USIM service table, 3GPP TS 31.102 §4.2.8.
//!
//! Service n is bit (n − 1) mod 8 of byte ⌊(n − 1) / 8⌋, b1 first: byte 1
//! holds services 1 to 8 (b1 = service 1), byte 2 services 9 to 16, and so on.
//! A set bit means the service is available. The file is as long as the
//! operator needs (TS 31.102 defines services up to 146 in Release 17, so 19
//! bytes), so a service past its end is simply not available.
//!
//! [`usim_service_name`] names each service as TS 31.102's table does.
//!
//! ```
//! use simcore::ef::ServiceTable;
//! // pySim's EF_UST test (tests/pySim-shell_test/file_specific/test_ef_ust.script).
//! let raw = simcore::hex::decode_heapless::<64>("beff9f9de73e04080000ff730000000600000000")?;
//! let ust = ServiceTable::from_ef(&raw)?;
//! assert!(!ust.is_available(1) && ust.is_available(2));
//! let first = ust.services().next().unwrap();
//! assert_eq!(first.to_string(), "Service 2 - Fixed Dialling Numbers (FDN)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::codec::{DecodeError, EncodeError};
use core::fmt;

/// The names of the USIM services 1 to 146, TS 31.102 V17 §4.2.8 (index n − 1).
const SERVICE_NAMES: [&str; 146] = [
    "Local Phone Book",
    "Fixed Dialling Numbers (FDN)",
    "Extension 2",
    "Service Dialling Numbers (SDN)",
    "Extension 3",
    "Barred Dialling Numbers (BDN)",
    "Extension 4",
    "Outgoing Call Information (OCI and OCT)",
    "Incoming Call Information (ICI and ICT)",
    "Short Message Storage (SMS)",
    "Short Message Status Reports (SMSR)",
    "Short Message Service Parameters (SMSP)",
    "Advice of Charge (AoC)",
    "Capability Configuration Parameters 2 (CCP2)",
    "Cell Broadcast Message Identifier",
    "Cell Broadcast Message Identifier Ranges",
    "Group Identifier Level 1",
    "Group Identifier Level 2",
    "Service Provider Name",
    "User controlled PLMN selector with Access Technology",
    "MSISDN",
    "Image (IMG)",
    "Support of Localised Service Areas (SoLSA)",
    "Enhanced Multi-Level Precedence and Pre-emption Service",
    "Automatic Answer for eMLPP",
    "RFU",
    "GSM Access",
    "Data download via SMS-PP",
    "Data download via SMS-CB",
    "Call Control by USIM",
    "MO-SMS Control by USIM",
    "RUN AT COMMAND command",
    "Shall be set to 1",
    "Enabled Services Table",
    "APN Control List (ACL)",
    "Depersonalisation Control Keys",
    "Co-operative Network List",
    "GSM security context",
    "CPBCCH Information",
    "Investigation Scan",
    "MExE",
    "Operator controlled PLMN selector with Access Technology",
    "HPLMN selector with Access Technology",
    "Extension 5",
    "PLMN Network Name",
    "Operator PLMN List",
    "Mailbox Dialling Numbers",
    "Message Waiting Indication Status",
    "Call Forwarding Indication Status",
    "Reserved and shall be ignored",
    "Service Provider Display Information",
    "Multimedia Messaging Service (MMS)",
    "Extension 8",
    "Call control on GPRS by USIM",
    "MMS User Connectivity Parameters",
    "Network's indication of alerting in the MS (NIA)",
    "VGCS Group Identifier List (EF_VGCS and EF_VGCSS)",
    "VBS Group Identifier List (EF_VBS and EF_VBSS)",
    "Pseudonym",
    "User Controlled PLMN selector for I-WLAN access",
    "Operator Controlled PLMN selector for I-WLAN access",
    "User controlled WSID list",
    "Operator controlled WSID list",
    "VGCS security",
    "VBS security",
    "WLAN Reauthentication Identity",
    "Multimedia Messages Storage",
    "Generic Bootstrapping Architecture (GBA)",
    "MBMS security",
    "Data download via USSD and USSD application mode",
    "Equivalent HPLMN",
    "Additional TERMINAL PROFILE after UICC activation",
    "Equivalent HPLMN Presentation Indication",
    "Last RPLMN Selection Indication",
    "OMA BCAST Smart Card Profile",
    "GBA-based Local Key Establishment Mechanism",
    "Terminal Applications",
    "Service Provider Name Icon",
    "PLMN Network Name Icon",
    "Connectivity Parameters for USIM IP connections",
    "Home I-WLAN Specific Identifier List",
    "I-WLAN Equivalent HPLMN Presentation Indication",
    "I-WLAN HPLMN Priority Indication",
    "I-WLAN Last Registered PLMN",
    "EPS Mobility Management Information",
    "Allowed CSG Lists and corresponding indications",
    "Call control on EPS PDN connection by USIM",
    "HPLMN Direct Access",
    "eCall Data",
    "Operator CSG Lists and corresponding indications",
    "Support for SM-over-IP",
    "Support of CSG Display Control",
    "Communication Control for IMS by USIM",
    "Extended Terminal Applications",
    "Support of UICC access to IMS",
    "Non-Access Stratum configuration by USIM",
    "PWS configuration by USIM",
    "RFU",
    "URI support by UICC",
    "Extended EARFCN support",
    "ProSe",
    "USAT Application Pairing",
    "Media Type support",
    "IMS call disconnection cause",
    "URI support for MO SHORT MESSAGE CONTROL",
    "ePDG configuration Information support",
    "ePDG configuration Information configured",
    "ACDC support",
    "MCPTT",
    "ePDG configuration Information for Emergency Service support",
    "ePDG configuration Information for Emergency Service configured",
    "eCall Data over IMS",
    "URI support for SMS-PP DOWNLOAD",
    "From Preferred",
    "IMS configuration data",
    "TV configuration",
    "3GPP PS Data Off",
    "3GPP PS Data Off Service List",
    "V2X",
    "XCAP Configuration Data",
    "EARFCN list for MTC/NB-IOT UEs",
    "5GS Mobility Management Information",
    "5G Security Parameters",
    "Subscription identifier privacy support",
    "SUCI calculation by the USIM",
    "UAC Access Identities support",
    "Control plane-based steering of roaming information expected in a VPLMN",
    "Call control on PDU Session by USIM",
    "5GS Operator PLMN List",
    "Support for SUPI of type NSI, GLI or GCI",
    "3GPP PS Data Off separate Home and Roaming lists",
    "Support for URSP by USIM",
    "5G Security Parameters extended",
    "MuD and MiD configuration data",
    "Support for Trusted non-3GPP access networks by USIM",
    "Multiple records of NAS security context storage for multiple registration",
    "Pre-configured CAG information list",
    "SOR-CMCI storage in USIM",
    "5G ProSe",
    "Storage of disaster roaming information in USIM",
    "Pre-configured eDRX parameters",
    "5G NSWO support",
    "PWS configuration for SNPN in USIM",
    "Multiplier Coefficient for Higher Priority PLMN search via NG-RAN satellite access",
    "K_AUSF derivation configuration",
    "Network Identifier for SNPN (NID)",
];

/// The name TS 31.102 §4.2.8 gives USIM service `service` (1 to 146), or
/// `None` for a number the table does not define.
#[must_use]
pub fn usim_service_name(service: u16) -> Option<&'static str> {
    SERVICE_NAMES.get(usize::from(service).checked_sub(1)?).copied()
}

/// A USIM service number, TS 31.102 §4.2.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UsimService(pub u16);

impl UsimService {
    /// Service 19, the service provider name (EF_SPN) (TS 31.102 §4.2.8).
    pub const SPN: UsimService = UsimService(19);
    /// Service 21, MSISDN (EF_MSISDN) (TS 31.102 §4.2.8).
    pub const MSISDN: UsimService = UsimService(21);
    /// Service 71, equivalent HPLMN (EF_EHPLMN) (TS 31.102 §4.2.8).
    pub const EHPLMN: UsimService = UsimService(71);

    /// The service's name, when TS 31.102 defines the number.
    #[must_use]
    pub fn name(self) -> Option<&'static str> {
        usim_service_name(self.0)
    }
}

/// `Service 2 - Fixed Dialling Numbers (FDN)`, the way pySim-read lists them;
/// `Service 200` for a number without a name.
impl fmt::Display for UsimService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "Service {} - {name}", self.0),
            None => write!(f, "Service {}", self.0),
        }
    }
}

/// The contents of EF_UST, borrowed (3GPP TS 31.102 §4.2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceTable<'a> {
    bytes: &'a [u8],
}

impl<'a> ServiceTable<'a> {
    /// View EF_UST's bytes.
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for an empty file (TS 31.102 gives EF_UST
    /// at least one byte).
    pub fn from_ef(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        if bytes.is_empty() {
            return Err(DecodeError::Truncated { what: "EF_UST", offset: 0, needed: 1 });
        }
        Ok(ServiceTable { bytes })
    }

    /// A table of bytes the caller has checked (at least one).
    pub(crate) const fn from_checked(bytes: &'a [u8]) -> Self {
        ServiceTable { bytes }
    }

    /// The raw bytes (TS 31.102 §4.2.8).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether service `service` is available (false for 0 and for numbers
    /// past the end of the file) (TS 31.102 §4.2.8).
    #[must_use]
    pub fn is_available(&self, service: u16) -> bool {
        let Some(index) = usize::from(service).checked_sub(1) else { return false };
        self.bytes.get(index / 8).is_some_and(|byte| byte & (1 << (index % 8)) != 0)
    }

    /// The available services, in increasing order (TS 31.102 §4.2.8).
    #[must_use]
    pub const fn services(&self) -> Services<'a> {
        Services { bytes: self.bytes, next: 0 }
    }

    /// Write a table in which exactly `services` are available into `out`,
    /// sized to the highest service (at least one byte); return its length (TS 31.102 §4.2.8).
    /// Bytes of `out` past that length are left as they are.
    ///
    /// # Errors
    /// [`EncodeError::OutOfRange`] for service 0 or a service above 2040;
    /// [`EncodeError::BufferTooSmall`] when `out` is shorter than needed.
    pub fn encode_into(services: &[u16], out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut len = 1usize;
        for &service in services {
            if service == 0 || service > 2040 {
                return Err(EncodeError::OutOfRange {
                    what: "USIM service",
                    value: u32::from(service),
                    max: 2040,
                });
            }
            len = len.max(usize::from(service).div_ceil(8));
        }
        let capacity = out.len();
        let table = out.get_mut(..len).ok_or(EncodeError::BufferTooSmall { needed: len, capacity })?;
        table.fill(0);
        for &service in services {
            let index = usize::from(service) - 1;
            if let Some(byte) = table.get_mut(index / 8) {
                *byte |= 1 << (index % 8);
            }
        }
        Ok(len)
    }
}

/// The available services of a [`ServiceTable`] (TS 31.102 §4.2.8).
#[derive(Debug, Clone)]
pub struct Services<'a> {
    bytes: &'a [u8],
    /// The next bit to look at, 0-based (service number − 1).
    next: usize,
}

impl Iterator for Services<'_> {
    type Item = UsimService;

    fn next(&mut self) -> Option<UsimService> {
        loop {
            let byte = *self.bytes.get(self.next / 8)?;
            let bit = self.next % 8;
            // Skip a zero byte (or its zero rest) at once.
            if byte >> bit == 0 {
                self.next = (self.next / 8 + 1) * 8;
                continue;
            }
            self.next += 1;
            if byte & (1 << bit) != 0 {
                return Some(UsimService(u16::try_from(self.next).unwrap_or(u16::MAX)));
            }
        }
    }
}

impl core::iter::FusedIterator for Services<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::decode;
    use std::string::ToString;

    /// pySim's EF_UST shell test (tests/pySim-shell_test/file_specific/
    /// test_ef_ust.script writes this table; test_ef_ust.ok lists the state of
    /// every service that has files).
    const PYSIM_UST: &str = "beff9f9de73e04080000ff730000000600000000";

    #[test]
    fn pysim_service_check_states() {
        let raw = decode(PYSIM_UST).unwrap();
        let ust = ServiceTable::from_ef(&raw).unwrap();
        // "Checking service No N (active)" lines of test_ef_ust.ok.
        let active = [
            2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 27, 29, 34, 35, 39,
            40, 42, 43, 44, 45, 46, 51, 60, 81, 82, 83, 84, 85, 86, 88, 89, 90, 122, 123,
        ];
        // "… (inactive)" lines.
        let inactive = [
            1, 7, 36, 37, 47, 48, 49, 52, 53, 55, 56, 57, 58, 59, 61, 62, 63, 64, 65, 66, 68, 69, 71, 73, 76,
            78, 79, 80, 96, 97, 99, 101, 106, 107, 110, 111, 114, 115, 120, 121, 124, 125, 126, 127, 129,
            130, 132, 133, 134, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 150,
        ];
        for n in active {
            assert!(ust.is_available(n), "service {n}");
        }
        for n in inactive {
            assert!(!ust.is_available(n), "service {n}");
        }
        assert!(!ust.is_available(0));
        // The iterator agrees with is_available over the whole table and beyond.
        let listed: heapless::Vec<u16, 160> = ust.services().map(|s| s.0).collect();
        let expected: heapless::Vec<u16, 160> = (0..200).filter(|&n| ust.is_available(n)).collect();
        assert_eq!(listed, expected);
        assert_eq!(listed.first(), Some(&2));
    }

    #[test]
    fn activating_service_150_sets_byte_19_bit_6() {
        // test_ef_ust.ok: after `ust_service_activate 150` the table reads
        // beff9f9de73e04080000ff730000000600002000.
        let raw = decode(PYSIM_UST).unwrap();
        let mut services: heapless::Vec<u16, 160> =
            ServiceTable::from_ef(&raw).unwrap().services().map(|s| s.0).collect();
        services.push(150).unwrap();
        let mut out = [0xAAu8; 24];
        let len = ServiceTable::encode_into(&services, &mut out).unwrap();
        assert_eq!(len, 19);
        let activated = decode("beff9f9de73e04080000ff730000000600002000").unwrap();
        assert_eq!(&out[..len], &activated[..19]);
        assert_eq!(out[19], 0xAA, "bytes past the table are left alone");
    }

    #[test]
    fn names_follow_the_specification_table() {
        // TS 31.102 §4.2.8 (as tabulated in pySim's EF_UST_map): a few fixed points.
        assert_eq!(usim_service_name(1), Some("Local Phone Book"));
        assert_eq!(UsimService::SPN.name(), Some("Service Provider Name"));
        assert_eq!(UsimService::MSISDN.name(), Some("MSISDN"));
        assert_eq!(UsimService::EHPLMN.name(), Some("Equivalent HPLMN"));
        assert_eq!(usim_service_name(85), Some("EPS Mobility Management Information"));
        assert_eq!(usim_service_name(124), Some("Subscription identifier privacy support"));
        assert_eq!(usim_service_name(146), Some("Network Identifier for SNPN (NID)"));
        assert_eq!(usim_service_name(0), None);
        assert_eq!(usim_service_name(147), None);
        assert_eq!(UsimService(147).to_string(), "Service 147");
    }

    #[test]
    fn errors() {
        assert_eq!(
            ServiceTable::from_ef(&[]),
            Err(DecodeError::Truncated { what: "EF_UST", offset: 0, needed: 1 })
        );
        let mut out = [0u8; 2];
        assert_eq!(
            ServiceTable::encode_into(&[0], &mut out),
            Err(EncodeError::OutOfRange { what: "USIM service", value: 0, max: 2040 })
        );
        assert_eq!(
            ServiceTable::encode_into(&[17], &mut out),
            Err(EncodeError::BufferTooSmall { needed: 3, capacity: 2 })
        );
        assert_eq!(ServiceTable::encode_into(&[], &mut out), Ok(1));
        assert_eq!(out[0], 0);
    }
}
