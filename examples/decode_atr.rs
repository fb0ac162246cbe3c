//! Explain Answer-To-Reset bytes (ISO/IEC 7816-3:2006 §8, historical bytes of
//! ISO/IEC 7816-4 §8.1.1, UICC global bytes of ETSI TS 102 221 §6.3).
//!
//! ```sh
//! cargo run --example decode_atr -- 3B9F96801F878031E073FE211B674A4C753034054BA9
//! cargo run --example decode_atr -- 3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9
//! grep -E '^3[BF] ' /usr/share/pcsc/smartcard_list.txt | cargo run --example decode_atr -- --json
//! ```
//!
//! Every byte is printed with its offset and meaning, in the spirit of
//! pcsc-tools' `ATR_analysis`, then a summary: the protocols, whether a PPS may
//! follow and which, the times that follow from the bytes, and the warnings.
//! ATRs come as arguments (one per argument; a run of single bytes is one ATR)
//! or one per line on stdin, in any spelling `simcore::hex` reads (`3B 9F`,
//! `3b9f`, `3B:9F`). A first byte 03 is taken as an inverse-convention card
//! read by a direct-convention UART and converted. `--json` prints one object
//! per input instead. The exit status is 1 if any input failed.

#[macro_use]
mod out;

use clap::Parser;
use serde_json::{Value, json};
use simcore::atr::{
    Atr, Category, ClockStop, Convention, DataObject, EfAccess, InitialAccess, Pps, SelectionMethods, Tck,
    UiccFeatures, VoltageClasses, WriteBehaviour, clocks_to_micros, protocol_name,
};
use simcore::hex::{self, Hex};
use simcore::{Profile, StatusWord};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Explain Answer-To-Reset bytes (ISO/IEC 7816-3)")]
#[command(after_help = "Exit status: 0 when every ATR decoded, 1 when any did not (or none was given), 2 \
                        when the options themselves cannot be parsed (unknown or conflicting).")]
struct Args {
    /// ATRs in hex, one per argument; without any, one per line on stdin.
    atrs: Vec<String>,
    /// One JSON object per input instead of the analysis.
    #[arg(long)]
    json: bool,
    /// Clock frequency in Hz for the derived bit rates and times (1 kHz to 100 MHz).
    #[arg(long, default_value_t = 4_000_000, value_parser = clap::value_parser!(u32).range(1_000..=100_000_000))]
    clock: u32,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let inputs: Vec<String> = if args.atrs.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .collect()
    } else if args.atrs.len() > 1 && args.atrs.iter().all(|a| a.len() == 2) {
        // `decode_atr 3B 9F 96 …` as with ATR_analysis: one ATR.
        vec![args.atrs.join(" ")]
    } else {
        args.atrs.clone()
    };
    let mut failed = false;
    for (n, input) in inputs.iter().enumerate() {
        let outcome = logical_bytes(input);
        let parsed = outcome.as_ref().map_err(Clone::clone).and_then(|(bytes, _)| {
            Atr::parse(bytes).map_err(|e| Failure { message: e.to_string(), offset: e.offset() })
        });
        failed |= parsed.is_err();
        if args.json {
            outln!("{}", to_json(input, &parsed));
            continue;
        }
        if n > 0 {
            outln!();
        }
        match (&outcome, parsed) {
            (Ok((_, converted)), Ok(atr)) => explain(&atr, *converted, args.clock),
            (_, Err(failure)) => {
                outln!("ATR {}", input.trim());
                // The message names the byte (or character) where it went wrong.
                outln!("  error: {}", failure.message);
            }
            (Err(_), Ok(_)) => {}
        }
    }
    if inputs.is_empty() {
        eprintln!("no ATR given: pass ATRs as arguments or one per line on stdin (see --help)");
        failed = true;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

#[derive(Clone)]
struct Failure {
    message: String,
    /// Byte offset for ATR errors, character offset for hex text errors.
    offset: usize,
}

/// The logical bytes of an input, and whether they were converted from the
/// inverse convention (raw TS 03).
fn logical_bytes(text: &str) -> Result<(Vec<u8>, bool), Failure> {
    let raw = hex::decode(text.trim())
        .map_err(|e| Failure { message: format!("not hex: {e}"), offset: e.offset() })?;
    match raw.first() {
        Some(0x03) => Ok((raw.iter().map(|&b| Convention::Inverse.from_line(b)).collect(), true)),
        _ => Ok((raw, false)),
    }
}

fn hex_or_null(byte: Option<u8>) -> Value {
    byte.map_or(Value::Null, |b| Value::String(format!("{b:02X}")))
}

fn to_json(input: &str, parsed: &Result<Atr<'_>, Failure>) -> Value {
    match parsed {
        Err(failure) => json!({
            "input": input,
            "ok": false,
            "error": failure.message,
            "offset": failure.offset,
        }),
        Ok(atr) => {
            let interface: Vec<Value> = atr
                .groups()
                .map(|g| {
                    json!({"ta": hex_or_null(g.ta()), "tb": hex_or_null(g.tb()), "tc": hex_or_null(g.tc()), "td": hex_or_null(g.td())})
                })
                .collect();
            let fi_di = atr.fi_di();
            json!({
                "input": input,
                "ok": true,
                "atr": Hex(atr.as_bytes()).to_string(),
                "convention": atr.convention().name(),
                "t0": format!("{:02X}", atr.t0()),
                "interface": interface,
                "protocols": atr.protocols().collect::<Vec<_>>(),
                "historical": Hex(atr.historical_bytes()).to_string(),
                "tck": {"present": atr.tck().is_present(), "valid": atr.tck().is_valid()},
                "fi": fi_di.fi(),
                "di": fi_di.di(),
                "fmax_khz": fi_di.fmax_khz(),
                "extra": Hex(atr.extra_bytes()).to_string(),
            })
        }
    }
}

fn mhz(khz: u32) -> String {
    let text = format!("{}.{:03}", khz / 1000, khz % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn clock_text(hz: u32) -> String {
    format!("{} MHz", mhz(hz / 1000))
}

fn micros_text(us: u32) -> String {
    if us >= 10_000 {
        format!("{}.{:03} s", us / 1_000_000, (us % 1_000_000) / 1000)
    } else {
        format!("{us} µs")
    }
}

fn nibble_bits(y: u8) -> String {
    format!("{:04b}", y & 0x0F)
}

fn announced(y: u8, next: usize) -> String {
    let names: Vec<String> = [(1, "TA"), (2, "TB"), (4, "TC"), (8, "TD")]
        .iter()
        .filter(|(bit, _)| y & bit != 0)
        .map(|(_, name)| format!("{name}{next}"))
        .collect();
    match names.len() {
        0 => "no more interface bytes".to_string(),
        1 => format!("{} follows", names.join(" ")),
        _ => format!("{} follow", names.join(" ")),
    }
}

fn classes_text(classes: VoltageClasses) -> String {
    let mut names = Vec::new();
    for (class, name) in [
        (VoltageClasses::A, "A (5 V)"),
        (VoltageClasses::B, "B (3 V)"),
        (VoltageClasses::C, "C (1.8 V)"),
        (VoltageClasses::D, "D (1.2 V)"),
        (VoltageClasses::RFU5, "b5 (RFU)"),
        (VoltageClasses::RFU6, "b6 (RFU)"),
    ] {
        if classes.contains(class) {
            names.push(name);
        }
    }
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}

fn fi_di_text(atr: &Atr<'_>, byte: u8, clock: u32) -> String {
    let fi_di = simcore::atr::FiDi::from_byte(byte);
    let mut text = fi_di.to_string();
    if let Some(fmax) = fi_di.fmax_khz() {
        text += &format!(", fmax = {} MHz", mhz(fmax));
    }
    if let Some((fi, di)) = fi_di.clocks_per_etu() {
        let per_etu = f64::from(fi) / f64::from(di);
        text += &format!(": {per_etu} clocks per etu");
        if let Some(rate) = fi_di.bit_rate(clock) {
            text += &format!("; {rate} bit/s at {}", clock_text(clock));
        }
        if let (Some(fmax), Some(rate)) =
            (fi_di.fmax_khz(), fi_di.fmax_khz().and_then(|k| fi_di.bit_rate(k * 1000)))
        {
            text += &format!(", {rate} bit/s at fmax {} MHz", mhz(fmax));
        }
    }
    if atr.specific_mode().is_none() && fi_di != simcore::atr::FiDi::DEFAULT {
        text += " (after PPS; Fd/Dd 372/1 until then)";
    }
    text
}

/// The meaning of one interface byte; `first` says whether it is the first of
/// its kind for its qualifier (only that one counts after T=1 and T=15).
fn interface_meaning(
    atr: &Atr<'_>,
    index: usize,
    qualifier: Option<u8>,
    kind: &str,
    byte: u8,
    first: bool,
    clock: u32,
) -> String {
    match (kind, index, qualifier) {
        ("TD", _, _) => {
            let t = byte & 0x0F;
            let mut text = format!(
                "Y{} = {}: {}; T = {t}",
                index + 1,
                nibble_bits(byte >> 4),
                announced(byte >> 4, index + 1)
            );
            text += &match t {
                15 if index == 1 => " (T=15 is invalid in TD1)".to_string(),
                15 => ": global interface bytes follow".to_string(),
                _ if atr.protocols().next() == Some(t) && first => {
                    format!(": {} (first offered: the default)", protocol_name(t))
                }
                _ => format!(": {}", protocol_name(t)),
            };
            text
        }
        ("TA", 1, _) => fi_di_text(atr, byte, clock),
        ("TB", 1, _) => {
            let prog = simcore::atr::Programming::from_bytes(Some(byte), None);
            let mut text = if prog.vpp_not_connected() {
                "VPP not connected".to_string()
            } else {
                let volts = prog.pi1().map_or("RFU".to_string(), |p| format!("{p} V"));
                let current = prog.ii_milliamps().map_or("RFU".to_string(), |i| format!("{i} mA"));
                format!("VPP: PI1 {volts}, II {current}")
            };
            text += " (deprecated: ISO/IEC 7816-3:2006 says ignore it)";
            text
        }
        ("TC", 1, _) => {
            let n = atr.extra_guard_time();
            if n.is_minimum() {
                "N = 255: minimum guard time, 12 etu between characters in T=0, 11 etu in T=1".to_string()
            } else {
                format!(
                    "extra guard time N = {}: {} etu between characters",
                    n.n(),
                    n.character_guard_time_etu(0)
                )
            }
        }
        ("TA", 2, _) => {
            let Some(mode) = atr.specific_mode() else { return String::new() };
            format!(
                "specific mode: T = {}; {}; {}{}",
                mode.protocol(),
                if mode.can_change() { "can change to negotiable mode" } else { "unable to change mode" },
                if mode.implicit_parameters() {
                    "parameters defined implicitly"
                } else {
                    "parameters from the interface bytes (TA1)"
                },
                if mode.reserved_bits() != 0 { "; reserved bits b7-b6 set" } else { "" }
            )
        }
        ("TB", 2, _) => {
            let decivolts = if (50..=250).contains(&byte) {
                format!("{}.{} V", byte / 10, byte % 10)
            } else {
                "RFU".into()
            };
            format!("VPP: PI2 {decivolts} (deprecated: ISO/IEC 7816-3:2006 says ignore it)")
        }
        ("TC", 2, _) => {
            if byte == 0 {
                return "WI = 0: reserved".to_string();
            }
            let mut text = format!("WI = {byte}: work waiting time WT = {byte} × 960 × Fi clocks");
            if let Some(clocks) = simcore::atr::work_waiting_time_clocks(byte, atr.fi_di())
                && let Some(us) = clocks_to_micros(u64::from(clocks), clock)
            {
                text += &format!(" = {clocks} clocks, {} at {}", micros_text(us), clock_text(clock));
            }
            text
        }
        (_, _, Some(1)) if !first => format!("another {kind} for T=1 (only the first counts)"),
        ("TA", _, Some(1)) => {
            let note = if matches!(byte, 0x00 | 0xFF) { " (reserved value)" } else { "" };
            format!("IFSC = {byte}: the card accepts information fields of up to {byte} bytes{note}")
        }
        ("TB", _, Some(1)) => {
            let t1 = simcore::atr::T1Parameters::from_bytes(None, Some(byte), None);
            let mut text = format!("BWI = {}, CWI = {}: CWT = {} etu", t1.bwi(), t1.cwi(), t1.cwt_etu());
            if let Some(clocks) = t1.bwt_clocks(atr.fi_di())
                && let Some(us) = clocks_to_micros(clocks, clock)
            {
                text += &format!(", BWT = {} at {} with Fi/Di from TA1", micros_text(us), clock_text(clock));
            }
            if t1.bwi() > 9 {
                text += " (BWI above 9 is reserved)";
            }
            text
        }
        ("TC", _, Some(1)) => {
            let edc = if byte & 1 == 0 { "LRC" } else { "CRC" };
            let rfu = if byte & 0xFE != 0 { " (reserved bits b8-b2 set)" } else { "" };
            format!("error detection code: {edc}{rfu}")
        }
        (_, _, Some(15)) if !first => format!("another global {kind} after T=15 (only the first is defined)"),
        ("TA", _, Some(15)) => {
            let stop = ClockStop::from_ta(byte);
            let classes = VoltageClasses::from_ta(byte);
            let mut text = format!("clock stop: {}; classes: {}", stop.name(), classes_text(classes));
            if classes.bits() & 0x0F != 0 && !classes.is_consecutive() {
                text += " (not consecutive: TS 102 221 forbids it for a UICC)";
            }
            text
        }
        ("TB", _, Some(15)) => {
            let spu = simcore::atr::Spu::from_byte(byte);
            match spu.standard_use() {
                Some(0) => "SPU: contact C6 not used; no additional UICC interfaces".to_string(),
                Some(v) => format!("SPU: standard use of C6 ({v:02X})"),
                None => {
                    let features = spu.uicc_features();
                    let mut names = Vec::new();
                    for (flag, name) in [
                        (UiccFeatures::EUICC, "eUICC functions"),
                        (UiccFeatures::MULTIPLE_ENABLED_PROFILES, "multiple enabled profiles"),
                        (UiccFeatures::LOW_IMPEDANCE, "low-impedance drivers on I/O"),
                        (UiccFeatures::INTER_CHIP_USB, "Inter-Chip USB"),
                        (UiccFeatures::CLF_INTERFACE, "UICC-CLF interface (SWP)"),
                        (UiccFeatures::SECURE_CHANNEL, "secure channel"),
                        (UiccFeatures::SECURED_APDU, "secured APDU, platform to platform, required"),
                    ] {
                        if features.contains(flag) {
                            names.push(name);
                        }
                    }
                    format!("UICC interfaces (TS 102 221 table 6.7): {}", names.join(", "))
                }
            }
        }
        (_, _, Some(15)) => format!("global {kind} after T=15, not defined"),
        (_, _, Some(t)) => format!("specific to T={t}, no meaning defined"),
        _ => String::new(),
    }
}

fn explain(atr: &Atr<'_>, converted: bool, clock: u32) {
    outln!("ATR {atr:#} ({} bytes)", atr.len());
    if converted {
        outln!("  (raw TS 03: an inverse-convention card read by a direct-convention UART; bytes converted)");
    }
    let convention = match atr.convention() {
        Convention::Direct => "direct convention",
        Convention::Inverse => "inverse convention",
    };
    outln!("  [ 0] TS  {:02X}  {convention}", atr.ts());
    let t0 = atr.t0();
    outln!(
        "  [ 1] T0  {t0:02X}  Y1 = {}: {}; K = {} historical bytes",
        nibble_bits(t0 >> 4),
        announced(t0 >> 4, 1),
        atr.k()
    );
    // (protocol, kind) pairs already seen: only the first T=1 and T=15 bytes
    // count, and only the first TD naming the default protocol is marked.
    let mut seen: Vec<(u8, &str)> = Vec::new();
    for group in atr.groups() {
        if group.index() >= 2 && !group.is_empty() {
            let scope = match (group.index(), group.qualifier()) {
                (2, _) => "global TA2, TB2; TC2 for T=0".to_string(),
                (_, Some(15)) => "global, after T=15".to_string(),
                (_, Some(t)) => format!("specific to T={t}"),
                (_, None) => String::new(),
            };
            outln!("  ---- group {} ({scope})", group.index());
        }
        for (offset, kind, byte) in group.bytes() {
            let key = match (kind, group.qualifier()) {
                ("TD", _) => Some((byte & 0x0F, kind)),
                (_, Some(t)) if group.index() >= 3 => Some((t, kind)),
                _ => None,
            };
            let first = key.is_none_or(|key| !seen.contains(&key));
            seen.extend(key);
            let meaning = interface_meaning(atr, group.index(), group.qualifier(), kind, byte, first, clock);
            outln!("  [{offset:2}] {kind}{} {byte:02X}  {meaning}", group.index());
        }
    }
    explain_historical(atr);
    let last = atr.len() - 1;
    match atr.tck() {
        Tck::Absent => outln!("  TCK absent: only T=0 is offered (ISO/IEC 7816-3 §8.2.5)"),
        Tck::Valid(t) => outln!("  [{last:2}] TCK {t:02X}  correct (XOR of T0..TCK = 00)"),
        Tck::Invalid { found, expected } => {
            outln!("  [{last:2}] TCK {found:02X}  WRONG: the XOR of T0..TCK needs {expected:02X}");
        }
    }
    let extra = atr.extra_bytes();
    if !extra.is_empty() {
        let mut note = String::new();
        let xor = atr.as_bytes().iter().skip(1).chain(extra).fold(0u8, |a, b| a ^ b);
        if extra.len() == 1 && !atr.tck().is_present() && xor == 0 {
            note = " (it would be a correct TCK: the card sends one although it offers only T=0)".into();
        }
        outln!("  [{:2}] {} extra byte(s) after the end: {:#}{note}", atr.len(), extra.len(), Hex(extra));
    }
    summary(atr, clock);
}

fn explain_historical(atr: &Atr<'_>) {
    let hist = atr.historical();
    let bytes = hist.as_bytes();
    if bytes.is_empty() {
        outln!("  no historical bytes");
        return;
    }
    let start = hist.offset();
    outln!("  [{start:2}..{}] historical bytes ({}): {:#}", start + bytes.len() - 1, bytes.len(), Hex(bytes));
    let printable: String =
        bytes.iter().map(|&b| if (0x20..0x7F).contains(&b) { b as char } else { '.' }).collect();
    let Some(category) = hist.category() else { return };
    outln!("     [{start:2}] category {:02X}: {}", category.byte(), category.name());
    match category {
        Category::CompactTlv | Category::StatusAtEnd => {
            for object in hist.objects() {
                match object {
                    Ok(object) => {
                        outln!(
                            "     [{:2}] {:02X} {:#}  tag {:X}, {} byte(s)",
                            object.offset(),
                            object.header(),
                            Hex(object.value()),
                            object.tag(),
                            object.value().len()
                        );
                        match object.decode() {
                            Ok(decoded) => describe_object(&decoded),
                            Err(e) => outln!("            error: {e}"),
                        }
                    }
                    Err(e) => outln!("     error: {e}"),
                }
            }
            if category == Category::StatusAtEnd {
                match hist.status_indicator() {
                    Ok(Some(status)) => {
                        outln!("     [{:2}] status indicator (last 3 bytes)", start + bytes.len() - 3);
                        describe_status(status.lcs(), status.sw());
                    }
                    Ok(None) => {}
                    Err(e) => outln!("     error: {e}"),
                }
            }
        }
        Category::DirDataReference => match hist.dir_data_reference() {
            Ok(Some(reference)) => outln!("     DIR data reference {reference:02X}"),
            Ok(None) => {}
            Err(e) => outln!("     error: {e}"),
        },
        Category::Reserved(_) | Category::Proprietary(_) => outln!("     as text: \"{printable}\""),
    }
}

fn describe_status(lcs: Option<u8>, sw: Option<StatusWord>) {
    if let Some(lcs) = lcs {
        outln!("            life cycle status {lcs:02X}: {}", simcore::atr::LifeCycleStatus::from_byte(lcs));
    }
    if let Some(sw) = sw {
        outln!("            status word {}", sw.describe(Profile::Iso7816));
    }
}

fn describe_object(object: &DataObject<'_>) {
    outln!("            {}", object.name());
    match *object {
        DataObject::CardServiceData(cs) => {
            let mut lines = Vec::new();
            if cs.select_by_full_df_name() {
                lines.push("application selection by full DF name".to_string());
            }
            if cs.select_by_partial_df_name() {
                lines.push("application selection by partial DF name".to_string());
            }
            if cs.objects_in_ef_dir() {
                lines.push("BER-TLV data objects in EF.DIR".to_string());
            }
            if cs.objects_in_ef_atr() {
                lines.push("BER-TLV data objects in EF.ATR".to_string());
            }
            lines.push(match cs.ef_access() {
                EfAccess::ReadBinary => "EF.DIR and EF.ATR read by READ BINARY".to_string(),
                EfAccess::ReadRecords => "EF.DIR and EF.ATR read by READ RECORD(S)".to_string(),
                EfAccess::GetData => "EF.DIR and EF.ATR read by GET DATA".to_string(),
                EfAccess::Reserved(v) => format!("EF.DIR and EF.ATR access {v:03b}: reserved"),
            });
            lines.push(if cs.has_mf() { "card with MF" } else { "card without MF" }.to_string());
            for line in lines {
                outln!("              - {line}");
            }
        }
        DataObject::CardCapabilities(caps) => {
            let methods = caps.selection_methods();
            for (flag, name) in [
                (SelectionMethods::DF_BY_FULL_NAME, "DF selection by full DF name"),
                (SelectionMethods::DF_BY_PARTIAL_NAME, "DF selection by partial DF name"),
                (SelectionMethods::DF_BY_PATH, "DF selection by path"),
                (SelectionMethods::DF_BY_FILE_ID, "DF selection by file identifier"),
                (SelectionMethods::IMPLICIT_DF, "implicit DF selection"),
                (SelectionMethods::SHORT_EF_ID, "short EF identifier supported"),
                (SelectionMethods::RECORD_NUMBER, "record number supported"),
                (SelectionMethods::RECORD_ID, "record identifier supported"),
            ] {
                if methods.contains(flag) {
                    outln!("              - {name}");
                }
            }
            if let Some(coding) = caps.data_coding() {
                let write = match coding.write_behaviour() {
                    WriteBehaviour::OneTime => "one-time write",
                    WriteBehaviour::Proprietary => "proprietary",
                    WriteBehaviour::Or => "write OR",
                    WriteBehaviour::And => "write AND",
                };
                outln!(
                    "              - data coding: {}write functions {write}; FF {} as first tag byte; data unit {} quartet(s)",
                    if coding.ber_tlv_efs() { "BER-TLV EFs; " } else { "" },
                    if coding.ff_valid_as_tag() { "valid" } else { "invalid" },
                    coding.data_unit_quartets()
                );
            }
            if let Some(third) = caps.chaining_length_channels() {
                let assignment = match (
                    third.channels_assigned_by_card(),
                    third.channels_assigned_by_interface_device(),
                ) {
                    (true, true) => "by the card and the interface device",
                    (true, false) => "by the card",
                    (false, true) => "by the interface device",
                    (false, false) => "none",
                };
                let channels = third.max_logical_channels();
                outln!(
                    "              - command chaining {}; extended Lc/Le {}{}; logical channel assignment: {assignment}; {}{channels} logical channel(s)",
                    yes_no(third.command_chaining()),
                    yes_no(third.extended_lc_le()),
                    if third.extended_length_info() {
                        "; extended length information in EF.ATR/INFO"
                    } else {
                        ""
                    },
                    if channels == 8 { "8 or more: " } else { "" },
                );
            }
        }
        DataObject::StatusIndicator(status) => describe_status(status.lcs(), status.sw()),
        DataObject::InitialAccessData(value) => {
            let access = InitialAccess::from_value(value);
            let what = match access {
                InitialAccess::ReadBinary { .. } => "READ BINARY of the current EF".to_string(),
                InitialAccess::ReadBinaryBySfi { sfi, .. } => {
                    format!("READ BINARY of the EF with SFI {sfi:02X}")
                }
                InitialAccess::ReadRecords { sfi: 0, .. } => "READ RECORD(S) of the current EF".to_string(),
                InitialAccess::ReadRecords { sfi, .. } => {
                    format!("READ RECORD(S) of the EF with SFI {sfi:02X}")
                }
                _ => "the command given".to_string(),
            };
            match access.command() {
                Some(command) => {
                    outln!(
                        "              - first command after the ATR: {:#} ({what})",
                        Hex(&command.to_vec())
                    );
                }
                None if value.len() == 2 => outln!(
                    "              - {:#}: a file byte with reserved bits or an SFI no READ can name (ISO/IEC 7816-4 tables 82, 36)",
                    Hex(value)
                ),
                None => outln!(
                    "              - {:#} is no form ISO/IEC 7816-4 gives initial access data (1, 2 or 5+ bytes of a command): probably the issuer's own",
                    Hex(value)
                ),
            }
            quote_if_text(value);
        }
        DataObject::CountryCode(v)
        | DataObject::IssuerIdentificationNumber(v)
        | DataObject::CardIssuerData(v)
        | DataObject::PreIssuingData(v)
        | DataObject::ApplicationIdentifier(v)
        | DataObject::Other { value: v, .. } => quote_if_text(v),
        _ => {}
    }
}

/// An object's value in quotes when it is all printable ASCII (as card issuers write names).
fn quote_if_text(value: &[u8]) {
    if !value.is_empty() && value.iter().all(|b| (0x20..0x7F).contains(b)) {
        outln!("              \"{}\"", String::from_utf8_lossy(value));
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn summary(atr: &Atr<'_>, clock: u32) {
    outln!("Summary");
    let protocols: Vec<String> = atr.protocols().map(|t| format!("T={t}")).collect();
    let t15 = if atr.indicates_t15() { "; T=15 global interface bytes present" } else { "" };
    outln!(
        "  protocols: {}{t15}",
        if protocols.is_empty() {
            "none (T=0 assumed)".to_string()
        } else {
            format!("{} (first is the default)", protocols.join(", "))
        }
    );
    match atr.specific_mode() {
        Some(mode) => outln!("  specific mode: T={} with {}, no PPS", mode.protocol(), atr.fi_di()),
        None => match Pps::for_atr(atr) {
            Ok(Some(pps)) => outln!(
                "  negotiable mode: starts at Fd/Dd (372/1); PPS request {pps} selects T={} at {}",
                pps.protocol(),
                atr.fi_di()
            ),
            Ok(None) => outln!(
                "  negotiable mode: nothing to negotiate, T={} at Fd/Dd (372/1)",
                atr.default_protocol()
            ),
            Err(e) => outln!("  PPS: {e}"),
        },
    }
    let default_rate = simcore::atr::FiDi::DEFAULT.bit_rate(clock).unwrap_or(0);
    outln!("  at {}: {default_rate} bit/s before PPS", clock_text(clock));
    if atr.offers(0) || atr.protocols().count() == 0 {
        if let Some(clocks) = atr.work_waiting_time_clocks()
            && let Some(us) = clocks_to_micros(u64::from(clocks), clock)
        {
            outln!("  T=0: WI = {}, WT = {clocks} clocks ({})", atr.wi(), micros_text(us));
        }
        let n = atr.extra_guard_time();
        outln!("  T=0: guard time {} etu (N = {})", n.character_guard_time_etu(0), n.n());
    }
    if atr.offers(1) {
        let t1 = atr.t1_parameters();
        outln!(
            "  T=1: IFSC {}, BWI {}, CWI {} (CWT {} etu), {}",
            t1.ifsc(),
            t1.bwi(),
            t1.cwi(),
            t1.cwt_etu(),
            match t1.edc() {
                simcore::atr::Edc::Lrc => "LRC",
                simcore::atr::Edc::Crc => "CRC",
            }
        );
    }
    let classes = atr.voltage_classes();
    outln!(
        "  classes {}{}; clock stop {}",
        classes_text(classes),
        if atr.t15_ta().is_none() { " (default: no class indicator)" } else { "" },
        atr.clock_stop().name()
    );
    if atr.spu().is_some() {
        outln!("  eUICC (TS 102 221 first TB after T=15, b8 and b2): {}", yes_no(atr.is_euicc()));
    }
    let warnings: Vec<_> = atr.warnings().collect();
    if warnings.is_empty() {
        outln!("  no warnings");
    }
    for w in warnings {
        outln!("  warning: {w}");
    }
}
