#!/usr/bin/python3
"""Read EF_ICCID through PC/SC with pyscard, independently of simcore.

Used by .ci/run against the virtual SIM served over vpcd. Selects EF_ICCID
(3F00/2FE2) the way a classic SIM (TS 51.011 §9.2: CLA A0, 9FXX then GET
RESPONSE) or a UICC (TS 102 221 §11.1: SELECT by path, 61XX then GET RESPONSE,
READ BINARY) wants it, reads the 10 bytes and decodes the swapped-nibble BCD
(TS 51.011 §10.1.1). Prints the ICCID; with --expect, exits 1 on a mismatch.
"""

import argparse
import sys
import time

from smartcard.System import readers


def transmit(connection, apdu):
    data, sw1, sw2 = connection.transmit(apdu)
    return data, (sw1 << 8) | sw2


def decode_iccid(raw):
    digits = ""
    for byte in raw:
        digits += "%X%X" % (byte & 0x0F, byte >> 4)
    return digits.rstrip("F")


def read_iccid(connection, personality):
    if personality == "sim":
        _, sw = transmit(connection, [0xA0, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00])
        assert sw >> 8 == 0x9F, "SELECT MF: %04X" % sw
        _, sw = transmit(connection, [0xA0, 0xA4, 0x00, 0x00, 0x02, 0x2F, 0xE2])
        assert sw >> 8 == 0x9F, "SELECT EF_ICCID: %04X" % sw
        header, sw = transmit(connection, [0xA0, 0xC0, 0x00, 0x00, sw & 0xFF])
        assert sw == 0x9000 and header[6] == 0x04, "GET RESPONSE: %04X %r" % (sw, header)
        size = (header[2] << 8) | header[3]
        data, sw = transmit(connection, [0xA0, 0xB0, 0x00, 0x00, size])
    else:
        _, sw = transmit(connection, [0x00, 0xA4, 0x08, 0x04, 0x02, 0x2F, 0xE2])
        assert sw >> 8 == 0x61, "SELECT by path: %04X" % sw
        fcp, sw = transmit(connection, [0x00, 0xC0, 0x00, 0x00, sw & 0xFF])
        assert sw == 0x9000 and fcp[0] == 0x62, "GET RESPONSE: %04X %r" % (sw, fcp)
        data, sw = transmit(connection, [0x00, 0xB0, 0x00, 0x00, 0x0A])
    assert sw == 0x9000, "READ BINARY: %04X" % sw
    return decode_iccid(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personality", choices=["sim", "uicc"], default="uicc")
    parser.add_argument("--reader", default="Virtual PCD")
    parser.add_argument("--expect")
    parser.add_argument("--wait", type=float, default=10.0, help="seconds to wait for the card")
    args = parser.parse_args()

    deadline = time.monotonic() + args.wait
    while True:
        try:
            candidates = [r for r in readers() if args.reader in str(r)]
            if not candidates:
                raise RuntimeError("no reader named %r" % args.reader)
            connection = candidates[0].createConnection()
            connection.connect()
            break
        except Exception as error:  # reader or card not there yet
            if time.monotonic() > deadline:
                print("read_iccid: %s" % error, file=sys.stderr)
                return 2
            time.sleep(0.2)

    iccid = read_iccid(connection, args.personality)
    print(iccid)
    if args.expect is not None and iccid != args.expect:
        print("read_iccid: got %s, expected %s" % (iccid, args.expect), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
