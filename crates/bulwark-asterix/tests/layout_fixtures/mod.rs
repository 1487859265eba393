//! Hand-built records, their bytes derived item by item from the category specifications
//! (zoranbosnjak/asterix-specs transcriptions of CAT048 1.31, CAT062 1.19, CAT034 1.29,
//! CAT021 2.6). FSPEC octets: slot 1 is the most significant bit, FX the least. Wireshark 4.0
//! (`tshark -d udp.port==8600,asterix -V`) decodes each of them to the values the tests expect.
#![allow(dead_code)]

/// CAT048 target report: FRN 1-7 (FX) | 8 9 11 13 14 (FX) | 21. 41 octets.
pub const CAT048_PLOT: &[u8] = &[
    0xFF, 0xD7, 0x02, // FSPEC: 1111111+FX | 1101011+FX | 0000001
    0x19, 0xC9, // I010 SAC 25, SIC 201
    0x54, 0x60, 0x00, // I140 5 529 600 / 128 = 43 200 s
    0xA1, 0x00, // I020 TYP 101 = 5 (Single ModeS Roll-Call), FX | TST..FOEFRI 0, FX 0
    0x64, 0x00, 0x40, 0x00, // I040 RHO 25 600 / 256 = 100 NM, THETA 16 384 × 360/2^16 = 90°
    0x02, 0x9C, // I070 V G L spare 0, Mode 3/A 001 010 011 100 = 1234
    0x05, 0x78, // I090 V G 0, FL 1400 / 4 = 350
    0xE4, 0x10, 0x05, 0xB5, 0xF0, // I130 SRL SRR SAM RPD: 16 × 360/2^13°, 5, −75 dBm, −16/256 NM
    0x3C, 0x65, 0x86, // I220 aircraft address
    0x08, 0x15, 0xF1, 0xCB, 0x38, 0x20, // I240 B A W 1 2 3 sp sp in 6-bit ICAO: 2 1 23 49 50 51 32 32
    0x01, 0x23, // I161 spare 4, TRN 0x123 = 291
    0x08, 0x00, 0x80, 0x00, // I200 GSP 2048 / 2^14 = 0.125 NM/s, HDG 32 768 × 360/2^16 = 180°
    0x42, // I170 CNF 0, RAD 10 = 2, DOU 0, MAH 0, CDM 01 = 1, FX 0
    0x20, 0xF7, // I230 COM 001, STAT 000, SI 0, spare | MSSC ARC AIC B1A 1, B1B 0111
];

/// CAT048 with the explicit fields: FRN 1 | SP (27) and RE (28). SP holds two octets, RE none.
pub const CAT048_RE_SP: &[u8] = &[
    0x81, 0x01, 0x01, 0x06, // FSPEC: FRN 1+FX | FX | FX | slots 6 (SP) and 7 (RE)
    0x19, 0xC9, // I010
    0x03, 0xAB, 0xCD, // SP: length 3 (itself and two octets)
    0x01, // RE: length 1 (empty)
];

/// CAT048 with the repetitive items: FRN 1 | 10 (I250) | 16 (I030).
pub const CAT048_REPETITIVE: &[u8] = &[
    0x81, 0x21, 0x40, // FSPEC: 1+FX | slot 3 (FRN 10)+FX | slot 2 (FRN 16)
    0x19, 0xC9, // I010
    0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x40, // I250 REP 1: MBDATA 0x11..77, BDS1 4, BDS2 0
    0x07, 0x28, // I030 code 3 (split plot)+FX, code 20 (flock of birds)
];

/// CAT062 system track: FRN 1 4 5 7 (FX) | 9 11 12 13 14 (FX) | 17 (FX) | 27. 68 octets.
pub const CAT062_TRACK: &[u8] = &[
    0x9B, 0x5F, 0x21, 0x04, // FSPEC: 1001101+FX | 0101111+FX | 0010000+FX | 0000010
    0x19, 0x01, // I010 SAC 25, SIC 1
    0x54, 0x60, 0x40, // I070 5 529 664 / 128 = 43 200.5 s
    0x00, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00, // I105 LAT 2^23 × 180/2^25 = 45°, LON −2^24 → −90°
    0x01, 0x90, 0xFF, 0x38, // I185 VX 400/4 = 100 m/s, VY −200/4 = −50 m/s
    0x2F, 0x40, // I060 V 0, G 0, CH 1, spare, Mode 3/A 111 101 000 000 = 7500
    // I380 compound: subfields ADR ID IAS (FX) | BVR (FX) | (FX) | MB
    0xD1, 0x05, 0x01, 0x10, //
    0x3C, 0x65, 0x86, // ADR
    0x10, 0xC2, 0x34, 0x04, 0x28, 0x20, // ID "DLH4AB  ": 4 12 8 52 1 2 32 32
    0x83, 0x20, // IAS IM 1 (Mach), 800 / 1000 = Mach 0.8
    0xFF, 0x60, // BVR −160 × 25/4 = −1000 ft/min
    0x01, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x30, // MB REP 1, 64 bits
    0x12, 0x34, // I040 track number 4660
    0x89, 0x00, // I080 MON 1, SPI 0, MRH 0, SRC 010 = 2 (3D radar), CNF 0, FX | second part 0
    // I290 compound: TRK ADS (FX) | MLT; TRK 8/4 = 2 s, ADS 256/4 = 64 s, MLT 2/4 = 0.5 s
    0x89, 0x20, 0x08, 0x01, 0x00, 0x02, //
    0x05, 0x78, // I136 1400 / 4 = FL 350
    // I500 compound: APC ATV; APC X 100/2 = 50 m, Y 200/2 = 100 m; ATV X 4/4 = 1 m/s, Y 8/4 = 2 m/s
    0x84, 0x00, 0x64, 0x00, 0xC8, 0x04, 0x08,
];

/// CAT034 north marker: FRN 1 2 3 5 6 (FX) | RE (13) SP (14). 18 octets.
pub const CAT034_NORTH: &[u8] = &[
    0xED, 0x06, // FSPEC: 1110110+FX | 0000011
    0x19, 0xC9, // I010
    0x01, // I000 message type 1 (North marker)
    0x54, 0x60, 0x00, // I030 43 200 s
    0x02, 0x00, // I041 512 / 128 = 4 s
    0x90, 0x00, 0x20, // I050 compound: COM, PSR (slots 2 and 3 spare); COM 0; PSR ANT 0, CHAB 01 = 1
    0x03, 0xAA, 0xBB, // RE: length 3
    0x02, 0xCC, // SP: length 2
];

/// CAT021 ADS-B report: FRN 1 2 3 6 (FX) | 9 11 (FX) | 21 (FX) | (FX) | 29. 30 octets.
pub const CAT021_ADSB: &[u8] = &[
    0xE5, 0x51, 0x03, 0x01, 0x80, // FSPEC: 1110010+FX | 0101000+FX | 0000001+FX | FX | 1000000
    0x19, 0xC9, // I010
    0x29, 0x00, // I040 ATP 001 = 1, ARC 01 = 1, RC 0, RAB 0, FX | second part 0
    0x00, 0x2A, // I161 spare 4, TRNUM 42
    0x20, 0x00, 0x00, 0xC0, 0x00, 0x00, // I130 LAT 2^21 × 180/2^23 = 45°, LON −2^22 → −90°
    0x04, 0x00, // I150 IM 0 (IAS), 1024 / 2^14 = 0.0625 NM/s
    0x3C, 0x65, 0x86, // I080 target address
    0x05, 0x78, // I145 FL 350
    0x10, 0xC2, 0x34, 0x04, 0x28, 0x20, // I170 "DLH4AB  "
];

/// Every fixture with its category.
pub const ALL: &[(u8, &[u8])] = &[
    (48, CAT048_PLOT),
    (48, CAT048_RE_SP),
    (48, CAT048_REPETITIVE),
    (62, CAT062_TRACK),
    (34, CAT034_NORTH),
    (21, CAT021_ADSB),
];

/// A data block (CAT, LEN, records) around `records`.
pub fn block(category: u8, records: &[&[u8]]) -> Vec<u8> {
    let body: Vec<u8> = records.concat();
    let len = (body.len() + 3) as u16;
    let mut out = vec![category];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    out
}
