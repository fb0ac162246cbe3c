#!/usr/bin/env python3
"""Write the committed seed corpora of fuzz/seeds/<target>/ (run from fuzz/).

Every seed is a test vector of ../../shared/spec/vectors.md (named V.. in the
file name, the source is cited there) or, for the ATR targets, an ATR of
benches/data/atr_corpus.txt (pcsc-tools' smartcard_list.txt, GPL-2.0-or-later;
fuzz/ is not part of the published package). The ATRs are a small sample: the
first ATR of each distinct interface-byte shape (T0 and TDi high nibbles,
protocols, TCK presence), so the sample covers the structures the corpus has.
The structure-aware targets (arbitrary input: *_round_trip, apdu_round_trip)
start from libFuzzer's own inputs. The seeds of `session` are the virtual SIM's
answers, recorded by `cargo run --example session_seeds`.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")


def h(text):
    return bytes.fromhex(text.replace(" ", "").replace(":", ""))


def put(target, name, data):
    folder = os.path.join(SEEDS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def shape(atr):
    """T0's Y and the TDi bytes' Y and T nibbles: the ATR's structure."""
    if len(atr) < 2:
        return ("short", len(atr))
    y, pos, out = atr[1] >> 4, 2, [atr[1] >> 4]
    while y & 8:
        pos += bin(y & 7).count("1")
        if pos >= len(atr):
            break
        td = atr[pos]
        out.append(td)
        pos += 1
        y = td >> 4
    return tuple(out)


ATRS = {
    "V01": "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9",
    "V03": "3B 99 18 00 11 88 22 33 44 55 66 77 60",
    "V05": "3B A7 00 40 18 80 65 A2 08 01 01 52",
    "V06": "3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7",
    "V07": "3B 00",
    "V08": "3B 80 80 1F 07 18",
    "V10": "3B 80 0F 00",
    "V11": "3B 80 10 80",
}


def inverse_line(logical):
    """What a direct-convention UART receives from an inverse-convention card (V12)."""
    out = []
    for b in logical:
        r = int(f"{b:08b}"[::-1], 2)
        out.append((~r) & 0xFF)
    return bytes(out)


def main():
    # seeds/session is written by `cargo run --example session_seeds` (recorded from the virtual SIM).
    for name in os.listdir(SEEDS) if os.path.isdir(SEEDS) else []:
        if name != "session":
            shutil.rmtree(os.path.join(SEEDS, name))
    corpus = []
    with open(os.path.join(HERE, "..", "benches", "data", "atr_corpus.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            corpus.append(h(line))
    seen = {}
    for atr in corpus:
        seen.setdefault(shape(atr), atr)
    sample = list(seen.values())[:48]

    for name, text in ATRS.items():
        put("atr", name, h(text))
        put("atr_reader", name, b"\x01" + h(text))
    put("atr_reader", "V12-V08-inverse", b"\x02" + inverse_line(h(ATRS["V08"])))
    put("atr_reader", "V12-V01-inverse", b"\x03" + inverse_line(h(ATRS["V01"])))
    for i, atr in enumerate(sample):
        put("atr", f"corpus-{i:02}", atr)
        put("atr_reader", f"corpus-{i:02}", bytes([i]) + atr)

    # Historical bytes: V01, V05 (category 80), V03 (proprietary), category 00 and 10 shapes.
    put("compact_tlv", "V01", b"\x0f" + h("80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B"))
    put("compact_tlv", "V05", b"\x05" + h("80 65 A2 08 01 01 52"))
    put("compact_tlv", "V03", b"\x04" + h("11 88 22 33 44 55 66 77 60"))
    put("compact_tlv", "status-at-end", b"\x02" + h("00 31 C0 73 FE 21 1B 05 90 00"))
    put("compact_tlv", "status-object", b"\x02" + h("80 31 C0 82 90 00"))
    put("compact_tlv", "dir-reference", b"\x02" + h("10 05"))

    # PPS: V13–V15 as messages, and request + answer pairs.
    for name, text in {"V13": "FF 10 96 79", "V14": "FF 11 13 FD", "V15": "FF 01 FE"}.items():
        put("pps", name, h(text))
    put("pps", "V13-answer-echo", h("10 96 00 00") + h("FF 10 96 79"))
    put("pps", "V13-answer-fd-dd", h("10 96 00 00") + h("FF 00 FF"))
    put("pps", "V14-answer", h("11 13 00 00") + h("FF 11 13 FD"))

    # Command APDUs (V71–V90) and their T=0 forms.
    commands = {
        "V71": "A0 20 00 01 08 31 32 33 34 FF FF FF FF",
        "V72": "00 20 00 01 08 31 32 33 34 FF FF FF FF",
        "V74": "00 20 00 01",
        "V75": "A0 2C 00 00 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF",
        "V79": "A0 24 00 01 10 31 32 33 34 FF FF FF FF 34 33 32 31 FF FF FF FF",
        "V82": "A0 A4 00 00 02 7F 20",
        "V84": "00 A4 00 04 02 3F 00 00",
        "V85": "00 A4 08 04 04 7F 20 6F 07 00",
        "V86": "00 A4 04 04 07 A0 00 00 00 87 10 02 00",
        "V87": "80 F2 00 00 00",
        "V88": "00 70 00 00 01",
        "V89": "01 A4 04 00 10 A0 00 00 05 59 10 10 FF FF FF FF 89 00 00 01 00",
        "V90": "80 E2 91 00 06 BF 3E 03 5C 01 5A 00",
        "extended-case4": "00 B0 00 00 00 00 03 01 02 03 01 00",
        "extended-case2": "00 B0 00 00 00 01 00",
    }
    for name, text in commands.items():
        put("command_apdu", name, h(text))

    # Responses and status words (V40–V70, V101).
    words = ["90 00", "9F 16", "9F 0F", "61 2E", "6C 09", "91 1A", "93 00", "92 02", "92 40", "94 04",
             "98 04", "98 40", "98 08", "98 02", "67 00", "63 C2", "63 C0", "69 83", "69 82", "69 84",
             "69 85", "6A 82", "6A 86", "6A 88", "6B 00", "6D 00", "6E 00", "6F 00", "62 83", "62 85",
             "65 81", "64 00", "68 81", "68 82", "98 62", "98 63", "98 50"]
    put("status_word", "V40-V70", b"".join(h(w) for w in words))
    put("response_apdu", "V101", h("BF 3E 12 5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05 90 00"))
    put("response_apdu", "V82-response", h("00 00 00 00 7F 20 02 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A 90 00"))
    put("response_apdu", "V44", h("61 2E"))

    # SELECT responses: TS 51.011 (V91, V92, V94-shaped, V96) and FCP (V97, V99).
    gsm = {
        "V91": "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A",
        "V92": "00 00 00 00 7F 10 02 00 00 00 00 00 09 81 00 0D 04 00 83 8A 83 8A",
        "V94": "00 00 00 00 7F 20 02 00 00 00 00 00 09 13 00 0D 04 00 83 8A 83 8A",
        "V96": "00 00 00 0A 2F E2 04 00 0C FF FF 01 02 00 00",
        "record-ef": "00 00 00 B0 6F 3A 04 00 11 FF 22 01 02 01 1C",
    }
    fcp = {
        "V97": "62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 8A 01 05 8B 03 2F "
               "06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B",
        "V99": "62 17 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 6F 06 0A 80 02 00 09 88 01 38",
    }
    for name, text in gsm.items():
        put("gsm_select_response", name, h(text))
    for name, text in fcp.items():
        put("uicc_fcp", name, h(text))
        put("ber_tlv", name, h(text))
    put("ber_tlv", "V90-V101", h("BF 3E 03 5C 01 5A") + h("BF 3E 12 5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05"))
    put("ber_tlv", "long-lengths", h("00 FF 81 81 01 AA 82 82 00 02 BB CC 1F 81 01 00"))

    # EF contents (V16–V37).
    for name, text in {"V16": "98 88 12 01 00 00 40 03 10 F0", "V17": "98 94 44 00 00 00 11 55 13 F4",
                       "V18": "98 88 12 01 00 00 40 76 43 F3", "V20": "98 10 14 30 12 11 81 15 70 02"}.items():
        put("ef_iccid", name, h(text))
    for name, text in {"V22": "08 29 82 60 82 00 00 20 80", "V23": "08 29 26 10 11 60 84 57 40",
                       "V24": "08 09 10 10 10 32 54 76 98"}.items():
        put("ef_imsi", name, h(text))
    put("ef_imsi", "V23-with-V27", h("08 29 26 10 11 60 84 57 40 FF FE 00 00 00 03"))
    put("ef_spn", "V28", h("01 47 53 4D 2D 52 20 43 48 FF FF FF FF FF FF FF FF"))
    put("ef_spn", "V37-name", h("00 80 04 1F 04 30 FF FF FF FF FF FF FF FF FF FF FF"))
    # pySim EF_MSISDN._test_de_encode.
    put("ef_msisdn", "pysim-msisdn",
        h("456967656e65205275666e756d6d6572ffffffff0891947172199181f3ffffffffff"))
    put("ef_msisdn", "V36-alpha", h("80 00 41 00 42 FF FF FF 07 81 21 43 65 87 F9 FF FF FF FF FF FF FF"))
    for name, text in {"V26": "00 FF FF", "V27": "00 00 00 03", "V32": "78 02 57 02 22 F8 10 09 78 00 00",
                       "V33": "62 F2 10 33 04 20 FF FF FF", "V34": "80 2B",
                       "V35": "83 7D 78 36 09 A3 85 8F 05"}.items():
        put("ef_other", name, h(text))
    for name, text in {"V36": "80 00 41 00 42 FF FF", "V37": "80 04 1F 04 30 FF FF",
                       "V28-name": "47 53 4D 2D 52 20 43 48 FF FF",
                       "form-81": "81 05 08 C1 C2 1B 65 C3 FF", "form-82": "82 03 04 10 80 81 41 FF"}.items():
        put("alpha_text", name, h(text))

    # USIM and eUICC targets: pySim's EF_DIR record (pySim/ts_102_221.py) and EF_UST
    # (tests/pySim-shell_test/file_specific/test_ef_ust.script), V101 and its 5A object.
    put("ef_dir", "pysim-usim", h("61294f10a0000000871002ffffffff890709000050055553696d31730ea00c80011781025f608203454150"))
    put("ef_dir", "unused", h("FF" * 40))
    put("ust", "pysim", h("beff9f9de73e04080000ff730000000600000000"))
    put("euicc_response", "V101", h("BF 3E 12 5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05"))
    # The printed forms: V103's EIDs (plain and grouped by four), V101's EID; the
    # hex text the examples take (V84's SELECT, V01's ATR with separators).
    put("eid_text", "V103", b"89049044900000000000000000102355")
    put("eid_text", "V103-grouped", b"8988 2119 9000 0000 0000 0000 0000 0005")
    put("eid_text", "V103-body", b"890490449000000000000000001023")
    put("hex_text", "V84", b"00A4000402 3F00 00")
    put("hex_text", "V01-colons", ("0x" + ATRS["V01"].replace(" ", ":")).encode())
    put("euicc_response", "V101-5A", h("5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05"))
    # AT answers (3GPP TS 27.007 §8.17, §9.2): the split byte, then the modem's text.
    put("at_response", "csim-ok", b"\x07" + b'\r\n+CSIM: 4,"9000"\r\n\r\nOK\r\n')
    put("at_response", "csim-urc", b"\x10" + b'\r\n+CREG: 1\r\n+CSIM: 8,"3B009000"\r\n\r\nOK\r\n')
    put("at_response", "cme-error", b"\x03" + b"\r\n+CME ERROR: 10\r\n")
    put("at_response", "error", b"\x00" + b"\r\nERROR\r\n")
    # The virtual eUICC: mode (b2: open channel 1 with the ISD-R first), then V90 on that channel
    # and GET DATA 5A on the ECASD (SGP.02).
    put("virtual_euicc", "V89-V90", b"\x02" + h("81 E2 91 00 06 BF 3E 03 5C 01 5A 00") + b"\xff\xfe" + h("81 C0 00 00 00"))
    put("virtual_euicc", "ecasd", b"\x00" + b"\xff\xfe".join([h("00 70 00 00 01"),
        h("01 A4 04 00 10 A0 00 00 05 59 10 10 FF FF FF FF 89 00 00 02 00"), h("81 CA 00 5A 00"), h("00 70 80 01 00")]))

    # The virtual SIM: mode byte, then commands split by FF FE (FD k = a built PIN command).
    def session(mode, parts):
        return bytes([mode]) + b"\xff\xfe".join(parts)
    uicc = [h("00 A4 00 04 02 3F 00"), h("00 C0 00 00 2E"), h("00 A4 08 04 02 2F E2"), h("00 B0 00 00 0A"),
            h("00 20 00 01 00"), b"\xfd\x20", b"\xfd\x20", b"\xfd\x20", b"\xfd\x00", b"\xfd\x24", b"\xfd\x04",
            b"\xfd\x84", b"\xfc", h("00 2C 00 01 00")]
    sim = [h("A0 A4 00 00 02 7F 20"), h("A0 C0 00 00 16"), h("A0 F2 00 00 16"), b"\xfd\x20", b"\xfd\x02",
           b"\xfd\x03", b"\xfd\x01", b"\xfd\x0b", b"\xfd\x22", b"\xfd\x22", b"\xfd\x22", b"\xfd\x04",
           h("A0 A4 00 00 02 6F 07"), h("A0 B0 00 00 09")]
    put("virtual_sim", "uicc-t0", session(0, uicc))
    put("virtual_sim", "uicc-t1", session(2, [h("00 A4 00 04 02 3F 00 00")] + uicc[2:]))
    put("virtual_sim", "sim-t0", session(1, sim))
    put("virtual_sim", "V71-V81", session(1, [h(commands["V71"]), h(commands["V79"]), h(commands["V75"])]))
    # The serial reader: flags (b1 echo, b2 PPS off), then the card's bytes: the ATR (V07, V03,
    # V01, TA1 = 13 with PPS echoed), then per TPDU the procedure bytes (ACK = INS, NULL = 60) and SW1 SW2.
    fcp = h(gsm["V91"])
    exchanges = (h("B0") + bytes(range(10)) + h("90 00")            # READ BINARY, ACK, 10 bytes
                 + h("60 20 90 00")                                 # VERIFY: NULL, ACK, 90 00
                 + h("90 00")                                       # MANAGE CHANNEL close, case 1
                 + h("A4 9F 16") + h("C0") + fcp + h("90 00"))      # SELECT 9F 16, GET RESPONSE
    put("serial_t0", "V07-echo", b"\x01" + h(ATRS["V07"]) + exchanges)
    put("serial_t0", "V03-no-echo-pps-off", b"\x02" + h(ATRS["V03"]) + exchanges)
    put("serial_t0", "V01-pps-refused", b"\x00" + h(ATRS["V01"]) + exchanges)
    # TA1 = 13 (Fi 372, Di 4, as V06), T=0: PPS FF 10 13 FC, echoed.
    put("serial_t0", "TA1-13-pps-echoed", b"\x01" + h("3B 90 13 00") + h("FF 10 13 FC") + exchanges)
    put("serial_t0", "V08-inverse", b"\x02" + inverse_line(h(ATRS["V08"])) + inverse_line(exchanges))
    # The T=0 character engine: mode byte, then what a reader sends (PPS V13, then a TPDU).
    put("t0_characters", "pps-select", b"\x00" + h("FF 10 96 79") + h("00 A4 00 04 02") + h("3F 00"))
    put("t0_characters", "inverse-read", b"\x01" + h("00 B0 00 00 0A"))


if __name__ == "__main__":
    main()
