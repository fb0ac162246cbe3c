//! Instruction codes (INS), one table for the session, the completion layer,
//! the eUICC flow and the virtual card: ISO/IEC 7816-4 §5.1 and §7 (the
//! interindustry commands), TS 51.011 §9.2 and TS 102 221 §10.1.2 (the
//! telecom ones), GlobalPlatform Card Specification §11 (STORE DATA).

/// SELECT (ISO/IEC 7816-4 §7.1.1, TS 51.011 §9.2.1, TS 102 221 §11.1.1).
pub const SELECT: u8 = 0xA4;
/// STATUS (TS 51.011 §9.2.2, TS 102 221 §11.1.2).
pub const STATUS: u8 = 0xF2;
/// READ BINARY (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
pub const READ_BINARY: u8 = 0xB0;
/// UPDATE BINARY (TS 51.011 §9.2.4, TS 102 221 §11.1.4).
pub const UPDATE_BINARY: u8 = 0xD6;
/// READ RECORD (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
pub const READ_RECORD: u8 = 0xB2;
/// UPDATE RECORD (TS 51.011 §9.2.6, TS 102 221 §11.1.6).
pub const UPDATE_RECORD: u8 = 0xDC;
/// GET RESPONSE (ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.2.18, TS 102 221 §11.1.7).
pub const GET_RESPONSE: u8 = 0xC0;
/// FETCH (TS 51.011 §9.2.19, TS 102 221 §11.2.2).
pub const FETCH: u8 = 0x12;
/// VERIFY CHV / VERIFY PIN (TS 51.011 §9.2.9, TS 102 221 §11.1.9).
pub const VERIFY: u8 = 0x20;
/// CHANGE CHV / CHANGE PIN (TS 51.011 §9.2.10, TS 102 221 §11.1.10).
pub const CHANGE: u8 = 0x24;
/// DISABLE CHV / DISABLE PIN (TS 51.011 §9.2.11, TS 102 221 §11.1.11).
pub const DISABLE: u8 = 0x26;
/// ENABLE CHV / ENABLE PIN (TS 51.011 §9.2.12, TS 102 221 §11.1.12).
pub const ENABLE: u8 = 0x28;
/// UNBLOCK CHV / UNBLOCK PIN (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
pub const UNBLOCK: u8 = 0x2C;
/// MANAGE CHANNEL (ISO/IEC 7816-4 §7.1.2).
pub const MANAGE_CHANNEL: u8 = 0x70;
/// STORE DATA (GlobalPlatform Card Specification §11.11).
pub const STORE_DATA: u8 = 0xE2;
/// GET DATA (ISO/IEC 7816-4 §7.4.2; GlobalPlatform §11.3).
pub const GET_DATA: u8 = 0xCA;
