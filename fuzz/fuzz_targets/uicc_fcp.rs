//! Fuzz the TS 102 221 §11.1.1.4 FCP template decoder (file descriptor, FID, DF
//! name, A5, LCSI, security attributes, the C6 PIN status template of §9.5.2,
//! sizes, SFI) and the `FileSummary` over it: never panic; errors name a byte
//! inside the input; and decode → `FcpTemplate` → decode gives the same
//! fields (the encoder is the virtual SIM's).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::fcp::uicc::{Fcp, FcpTemplate, PinStatus, ProprietaryInfo};
use simcore::fcp::{FileSummary, SecretCode};

fuzz_target!(|data: &[u8]| {
    let fcp = match Fcp::parse(data) {
        Ok(fcp) => fcp,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            let _ = error.to_string();
            return;
        }
    };
    let kind = fcp.kind();
    let _ = (fcp.short_file_identifier(), fcp.descriptor.structure(), fcp.descriptor.is_shareable());
    let _ = fcp.security.map(|s| s.arr_record());
    if let Some(p) = fcp.proprietary {
        let _ = (p.uicc_characteristics(), p.available_memory(), p.supported_commands(), p.objects().count());
    }
    let pins: Vec<PinStatus> = fcp.pin_status.map(|t| t.iter().collect()).unwrap_or_default();
    if let Some(template) = fcp.pin_status {
        for pin in &pins {
            assert_eq!(template.get(pin.key_reference).map(|p| p.key_reference), Some(pin.key_reference));
        }
    }
    // Padding (00/FF) may come before the template (ISO/IEC 7816-4 §5.2.2); FileSummary
    // takes only a response starting with tag 62 for an FCP template.
    let summary = FileSummary::from_fcp(&fcp);
    if data[0] == 0x62 {
        assert_eq!(FileSummary::from_response(data), Ok(summary));
    }
    assert_eq!(summary.kind, kind);
    assert_eq!(summary.fid, fcp.fid);
    assert_eq!(summary.codes().count(), pins.len());
    if let Some(first) = pins.first() {
        let state = summary.code(SecretCode::Pin(first.key_reference)).expect("listed code");
        assert_eq!(state.enabled.is_some(), true);
    }

    // Written back by the encoder, the template decodes to the same fields.
    let template = FcpTemplate {
        df_name: fcp.df_name,
        proprietary: fcp
            .proprietary
            .map(|p| ProprietaryInfo { extra: p.as_bytes(), ..ProprietaryInfo::default() }),
        life_cycle: fcp.life_cycle,
        security: fcp.security,
        pins: &pins,
        file_size: fcp.file_size,
        total_size: fcp.total_size,
        sfi: fcp.sfi,
        ..FcpTemplate::new(fcp.descriptor, fcp.fid)
    };
    let mut out = vec![0u8; data.len() + 64];
    let bytes = template.encode_into(&mut out).expect("room for the template");
    let again = Fcp::parse(bytes).expect("an encoded template decodes");
    assert_eq!(again.descriptor, fcp.descriptor);
    assert_eq!(again.fid, fcp.fid);
    assert_eq!(again.df_name, fcp.df_name);
    assert_eq!(again.proprietary.map(|p| p.as_bytes()), fcp.proprietary.map(|p| p.as_bytes()));
    assert_eq!(again.life_cycle, fcp.life_cycle);
    assert_eq!(again.security, fcp.security);
    assert_eq!(again.file_size, fcp.file_size);
    assert_eq!(again.total_size, fcp.total_size);
    assert_eq!(again.sfi, fcp.sfi);
    assert_eq!(again.kind(), kind);
    let again_pins: Vec<PinStatus> = again.pin_status.map(|t| t.iter().collect()).unwrap_or_default();
    assert_eq!(again_pins, pins);
});
