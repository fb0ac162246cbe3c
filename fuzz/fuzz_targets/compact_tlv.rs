//! Fuzz the historical bytes (ISO/IEC 7816-4:2005 §8.1.1): the category
//! indicator, the COMPACT-TLV objects (§5.2.2.1), the status indicator and the
//! DIR data reference. Never panic; objects tile the body in order, each at
//! the offset it names with its header byte as sent; errors name a byte of
//! the historical bytes; initial access data gives the command its tables
//! build.
//!
//! Input: one byte giving the offset of the historical bytes in an ATR, then
//! the historical bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::apdu::CommandView;
use simcore::atr::{Category, DataObject, HistoricalBytes, InitialAccess};

/// Initial access data (ISO/IEC 7816-4:1995 §8.3.3): one byte, or a file byte
/// with b7–b6 = 00 and an SFI a READ can name (1–30, or 0 for the current EF
/// of READ RECORD(S)) followed by an Le, give a five-byte READ that ends in
/// that Le; five bytes or more are a command exactly when they parse as one,
/// and then that command byte for byte.
fn initial_access(value: &[u8]) {
    let access = InitialAccess::from_value(value);
    let command = access.command().map(|c| c.to_vec());
    match value.len() {
        1 => assert_eq!(command.as_deref(), Some(&[0x00, 0xB0, 0x00, 0x00, value[0]][..])),
        2 => {
            let (file, sfi) = (value[0], value[0] & 0x1F);
            let binary = file & 0x80 != 0;
            let readable = file & 0x60 == 0 && sfi != 31 && (!binary || sfi != 0);
            assert_eq!(command.is_some(), readable, "{value:02X?}");
            if let Some(command) = command {
                assert_eq!((command.len(), command[0], command.last()), (5, 0x00, value.last()));
                assert_eq!(command[1], if binary { 0xB0 } else { 0xB2 });
            }
        }
        n if n >= 5 => {
            assert_eq!(command.is_some(), CommandView::parse(value).is_ok(), "{value:02X?}");
            if let Some(command) = command {
                assert_eq!(command, value);
            }
        }
        _ => assert_eq!(command, None, "{value:02X?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&base, bytes)) = data.split_first() else { return };
    let base = usize::from(base % 32);
    let historical = HistoricalBytes::new(bytes, base);
    assert_eq!(historical.as_bytes(), bytes);
    let category = historical.category();
    assert_eq!(category.map(Category::byte), bytes.first().copied());
    let mut next = base + 1;
    for object in historical.objects() {
        match object {
            Ok(object) => {
                assert_eq!(object.offset(), next, "objects do not tile the body");
                assert!(object.tag() <= 0x0F);
                assert_eq!(object.header(), bytes[object.offset() - base]);
                let start = object.offset() - base + 1;
                assert_eq!(&bytes[start..start + object.value().len()], object.value());
                next += 1 + object.value().len();
                if let Ok(decoded) = object.decode() {
                    let _ = decoded.name();
                    if let DataObject::CardCapabilities(caps) = decoded {
                        let _ =
                            (caps.selection_methods(), caps.data_coding(), caps.chaining_length_channels());
                    }
                    if let DataObject::CardServiceData(service) = decoded {
                        let _ = (service.ef_access(), service.has_mf());
                    }
                    if let DataObject::InitialAccessData(value) = decoded {
                        initial_access(value);
                    }
                }
            }
            Err(error) => {
                assert!(error.offset() >= base && error.offset() <= base + bytes.len(), "{error:?}");
                break;
            }
        }
    }
    for result in [historical.check().map(|()| None), historical.status_indicator().map(|s| s.map(|_| 0))] {
        if let Err(error) = result {
            assert!(error.offset() >= base && error.offset() <= base + bytes.len(), "{error:?}");
            let _ = error.to_string();
        }
    }
    if let Ok(Some(status)) = historical.status_indicator() {
        let _ = (status.lcs(), status.life_cycle().map(|l| l.to_string()), status.sw());
    }
    let _ = historical.dir_data_reference();
});
