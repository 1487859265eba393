//! Classic libpcap capture files carrying ASTERIX in UDP datagrams: a writer (Ethernet II,
//! IPv4, UDP, with valid checksums, as Wireshark and recorders expect) and a reader that
//! extracts the UDP payloads of any capture of Ethernet, Linux cooked (SLL) or raw-IP frames.
//!
//! File format: the libpcap "savefile" layout (tcpdump.org, pcap-savefile(5); IETF draft
//! draft-ietf-opsawg-pcap): a 24-octet global header (magic 0xA1B2C3D4 for µs or 0xA1B23C4D
//! for ns timestamps, in either byte order), then per packet a 16-octet record header
//! (seconds, sub-seconds, captured length, original length) and the frame. Headers follow
//! RFC 791 (IPv4, header checksum) and RFC 768 (UDP, checksum over the pseudo-header).
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddrV4};
use thiserror::Error;

/// LINKTYPE_ETHERNET.
const LINKTYPE_ETHERNET: u32 = 1;
/// LINKTYPE_RAW (raw IPv4/IPv6).
const LINKTYPE_RAW: u32 = 101;
/// LINKTYPE_LINUX_SLL (Linux cooked capture v1).
const LINKTYPE_LINUX_SLL: u32 = 113;
/// Largest UDP payload in one IPv4 datagram (65 535 − 20 − 8).
pub const MAX_UDP_PAYLOAD: usize = 65_507;

/// Writes a capture: one UDP datagram per packet, from `src` to `dst`, nanosecond timestamps.
pub struct PcapWriter<W: Write> {
    out: W,
    src: SocketAddrV4,
    dst: SocketAddrV4,
    ip_id: u16,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the global header (nanosecond magic, snap length 65 535, Ethernet).
    pub fn new(mut out: W, src: SocketAddrV4, dst: SocketAddrV4) -> io::Result<Self> {
        let mut h = Vec::with_capacity(24);
        h.extend_from_slice(&0xA1B2_3C4Du32.to_le_bytes());
        h.extend_from_slice(&2u16.to_le_bytes());
        h.extend_from_slice(&4u16.to_le_bytes());
        h.extend_from_slice(&0i32.to_le_bytes());
        h.extend_from_slice(&0u32.to_le_bytes());
        h.extend_from_slice(&65_535u32.to_le_bytes());
        h.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
        out.write_all(&h)?;
        Ok(PcapWriter { out, src, dst, ip_id: 0 })
    }

    /// Appends one datagram carrying `payload` at UNIX time `unix_ns` (ns since 1970-01-01 UTC).
    pub fn write_datagram(&mut self, unix_ns: i128, payload: &[u8]) -> io::Result<()> {
        if payload.len() > MAX_UDP_PAYLOAD {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "UDP payload larger than 65 507 octets"));
        }
        let frame = ethernet_ipv4_udp(self.src, self.dst, self.ip_id, payload);
        self.ip_id = self.ip_id.wrapping_add(1);
        let unix_ns = unix_ns.max(0);
        let secs = u32::try_from(unix_ns / 1_000_000_000).unwrap_or(u32::MAX);
        let nanos = (unix_ns % 1_000_000_000) as u32;
        let mut h = Vec::with_capacity(16);
        h.extend_from_slice(&secs.to_le_bytes());
        h.extend_from_slice(&nanos.to_le_bytes());
        h.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        h.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        self.out.write_all(&h)?;
        self.out.write_all(&frame)
    }

    /// Flushes and returns the sink.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// An Ethernet II frame holding an IPv4/UDP datagram. The destination MAC is the IPv4
/// multicast mapping (RFC 1112 §6.4) for multicast groups, else locally administered.
fn ethernet_ipv4_udp(src: SocketAddrV4, dst: SocketAddrV4, ip_id: u16, payload: &[u8]) -> Vec<u8> {
    let d = dst.ip().octets();
    let dst_mac = if dst.ip().is_multicast() {
        [0x01, 0x00, 0x5E, d[1] & 0x7F, d[2], d[3]]
    } else {
        [0x02, 0, d[0], d[1], d[2], d[3]]
    };
    let s = src.ip().octets();
    let src_mac = [0x02, 0, s[0], s[1], s[2], s[3]];
    let udp_len = 8 + payload.len();
    let ip_len = 20 + udp_len;
    let mut f = Vec::with_capacity(14 + ip_len);
    f.extend_from_slice(&dst_mac);
    f.extend_from_slice(&src_mac);
    f.extend_from_slice(&0x0800u16.to_be_bytes());
    // IPv4 header: version 4, IHL 5, no DSCP, total length, id, DF, TTL 64, UDP.
    let ip_start = f.len();
    f.extend_from_slice(&[0x45, 0x00]);
    f.extend_from_slice(&(ip_len as u16).to_be_bytes());
    f.extend_from_slice(&ip_id.to_be_bytes());
    f.extend_from_slice(&[0x40, 0x00, 64, 17, 0, 0]);
    f.extend_from_slice(&s);
    f.extend_from_slice(&d);
    let ip_sum = internet_checksum(&[&f[ip_start..ip_start + 20]]);
    f[ip_start + 10..ip_start + 12].copy_from_slice(&ip_sum.to_be_bytes());
    // UDP header and checksum over the pseudo-header (RFC 768).
    let udp_start = f.len();
    f.extend_from_slice(&src.port().to_be_bytes());
    f.extend_from_slice(&dst.port().to_be_bytes());
    f.extend_from_slice(&(udp_len as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    let mut pseudo = [0u8; 12];
    pseudo[..4].copy_from_slice(&s);
    pseudo[4..8].copy_from_slice(&d);
    pseudo[9] = 17;
    pseudo[10..12].copy_from_slice(&(udp_len as u16).to_be_bytes());
    let mut udp_sum = internet_checksum(&[&pseudo, &f[udp_start..]]);
    if udp_sum == 0 {
        udp_sum = 0xFFFF; // RFC 768: a computed zero is sent as all ones.
    }
    f[udp_start + 6..udp_start + 8].copy_from_slice(&udp_sum.to_be_bytes());
    f
}

/// The 16-bit one's-complement sum of RFC 1071 over the concatenated parts.
fn internet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut odd: Option<u8> = None;
    for part in parts {
        for &b in *part {
            match odd.take() {
                Some(hi) => sum += u32::from(u16::from_be_bytes([hi, b])),
                None => odd = Some(b),
            }
        }
    }
    if let Some(hi) = odd {
        sum += u32::from(hi) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

/// Why a capture file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PcapError {
    #[error("at byte {offset}: not a pcap file (magic {magic:#010x}; pcapng is not supported)")]
    BadMagic { offset: usize, magic: u32 },
    #[error("at byte {offset}: truncated {what}")]
    Truncated { offset: usize, what: &'static str },
    #[error("link type {0} is not supported (Ethernet 1, raw IP 101, Linux SLL 113 are)")]
    UnsupportedLinkType(u32),
}

/// One UDP datagram found in a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Datagram<'a> {
    /// Packet index in the file (0-based).
    pub packet: usize,
    /// Capture time, ns since 1970-01-01 UTC.
    pub unix_ns: i128,
    pub src: SocketAddrV4,
    pub dst: SocketAddrV4,
    pub payload: &'a [u8],
}

/// The UDP-over-IPv4 datagrams of a capture, in file order. Packets that are not
/// IPv4/UDP (ARP, TCP, IPv6, fragments after the first) are passed over, and so are malformed
/// ones ([`read_udp`] counts those); a truncated packet record is an error.
pub fn udp_datagrams(data: &[u8]) -> Result<Vec<Datagram<'_>>, PcapError> {
    read_udp(data).map(|c| c.datagrams)
}

/// What [`read_udp`] found in a capture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UdpCapture<'a> {
    /// The UDP-over-IPv4 datagrams, in file order.
    pub datagrams: Vec<Datagram<'a>>,
    /// Packets passed over because they carry something else (ARP, TCP, IPv6, later fragments).
    pub other: usize,
    /// Packets passed over because their link, IPv4 or UDP header is broken (too short, a
    /// header length below its minimum, a length field past the captured bytes), with the
    /// index of the first: a reader should say so, as such packets usually mean a damaged file.
    pub malformed: usize,
    pub first_malformed: Option<usize>,
}

impl UdpCapture<'_> {
    /// The warning a reader prints when malformed packets were passed over, `None` when none
    /// were: one wording for every command that reads captures.
    pub fn malformed_warning(&self) -> Option<String> {
        self.first_malformed.map(|first| {
            format!(
                "{} malformed packet(s) skipped (broken link, IPv4 or UDP header; the first is packet {first})",
                self.malformed
            )
        })
    }
}

/// Whether `bytes` start with a libpcap magic (µs or ns, either byte order).
pub fn is_pcap(bytes: &[u8]) -> bool {
    bytes.get(..4).is_some_and(|m| {
        matches!(u32::from_le_bytes([m[0], m[1], m[2], m[3]]), 0xA1B2_C3D4 | 0xD4C3_B2A1 | 0xA1B2_3C4D | 0x4D3C_B2A1)
    })
}

/// [`udp_datagrams`], with the count of the packets passed over and why.
pub fn read_udp(data: &[u8]) -> Result<UdpCapture<'_>, PcapError> {
    let head = data.get(..24).ok_or(PcapError::Truncated { offset: 0, what: "global header" })?;
    let magic_le = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let (big_endian, nanos) = match magic_le {
        0xA1B2_C3D4 => (false, false),
        0xA1B2_3C4D => (false, true),
        0xD4C3_B2A1 => (true, false),
        0x4D3C_B2A1 => (true, true),
        magic => return Err(PcapError::BadMagic { offset: 0, magic }),
    };
    let rd32 = |b: &[u8]| {
        let a = [b[0], b[1], b[2], b[3]];
        if big_endian { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
    };
    let linktype = rd32(&head[20..24]) & 0x0FFF_FFFF;
    if ![LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL].contains(&linktype) {
        return Err(PcapError::UnsupportedLinkType(linktype));
    }
    let mut out = UdpCapture::default();
    let mut pos = 24;
    let mut packet = 0;
    while pos < data.len() {
        let rec = data.get(pos..pos + 16).ok_or(PcapError::Truncated { offset: pos, what: "packet header" })?;
        let secs = i128::from(rd32(&rec[0..4]));
        let sub = i128::from(rd32(&rec[4..8]));
        let caplen = rd32(&rec[8..12]) as usize;
        let frame = data
            .get(pos + 16..(pos + 16).saturating_add(caplen))
            .ok_or(PcapError::Truncated { offset: pos + 16, what: "packet data" })?;
        let unix_ns = secs * 1_000_000_000 + if nanos { sub } else { sub * 1000 };
        let ip = match linktype {
            LINKTYPE_ETHERNET => ethernet_payload(frame),
            LINKTYPE_LINUX_SLL if frame.len() < 16 => Packet::Malformed,
            LINKTYPE_LINUX_SLL if frame[14..16] == [0x08, 0x00] => ipv4_udp(&frame[16..], true),
            LINKTYPE_LINUX_SLL => Packet::Other,
            _ => ipv4_udp(frame, false),
        };
        match ip {
            Packet::Udp(src, dst, payload) => out.datagrams.push(Datagram { packet, unix_ns, src, dst, payload }),
            Packet::Other => out.other += 1,
            Packet::Malformed => {
                out.malformed += 1;
                out.first_malformed.get_or_insert(packet);
            }
        }
        pos += 16 + caplen;
        packet += 1;
    }
    Ok(out)
}

/// One packet's network content.
enum Packet<'a> {
    Udp(SocketAddrV4, SocketAddrV4, &'a [u8]),
    /// Well formed, but not IPv4/UDP (or a later fragment).
    Other,
    Malformed,
}

/// The IPv4 packet inside an Ethernet II frame (with up to two 802.1Q tags).
fn ethernet_payload(frame: &[u8]) -> Packet<'_> {
    let mut off = 12;
    loop {
        let (Some(&hi), Some(&lo)) = (frame.get(off), frame.get(off + 1)) else { return Packet::Malformed };
        match u16::from_be_bytes([hi, lo]) {
            0x8100 | 0x88A8 => off += 4,
            0x0800 => return ipv4_udp(&frame[off + 2..], true),
            _ => return Packet::Other,
        }
    }
}

/// Source, destination and payload of an unfragmented (or first-fragment) IPv4/UDP packet.
/// `typed_ipv4`: the link layer said IPv4, so another IP version is malformed, not other.
fn ipv4_udp(ip: &[u8], typed_ipv4: bool) -> Packet<'_> {
    let Some(&first) = ip.first() else { return Packet::Malformed };
    if first >> 4 != 4 {
        return if typed_ipv4 || first >> 4 != 6 { Packet::Malformed } else { Packet::Other };
    }
    if ip.len() < 20 {
        return Packet::Malformed;
    }
    if ip[9] != 17 {
        return Packet::Other;
    }
    let ihl = usize::from(ip[0] & 0x0F) * 4;
    if ihl < 20 {
        return Packet::Malformed;
    }
    if u16::from_be_bytes([ip[6], ip[7]]) & 0x1FFF != 0 {
        return Packet::Other;
    }
    let total = usize::from(u16::from_be_bytes([ip[2], ip[3]])).min(ip.len());
    let Some(udp) = ip.get(ihl..total).filter(|u| u.len() >= 8) else { return Packet::Malformed };
    let src_ip = Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]);
    let dst_ip = Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]);
    let src_port = u16::from_be_bytes([udp[0], udp[1]]);
    let dst_port = u16::from_be_bytes([udp[2], udp[3]]);
    let udp_len = usize::from(u16::from_be_bytes([udp[4], udp[5]])).clamp(8, udp.len());
    Packet::Udp(SocketAddrV4::new(src_ip, src_port), SocketAddrV4::new(dst_ip, dst_port), &udp[8..udp_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_matches_rfc1071_example() {
        // RFC 1071 §3: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2, so the checksum is !ddf2.
        assert_eq!(internet_checksum(&[&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]]), !0xddf2);
        // Split across parts with an odd first part: the same sum.
        assert_eq!(internet_checksum(&[&[0x00, 0x01, 0xf2], &[0x03, 0xf4, 0xf5, 0xf6, 0xf7]]), !0xddf2);
    }

    #[test]
    fn writes_and_reads_back() {
        let src = SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 40000);
        let dst = SocketAddrV4::new(Ipv4Addr::new(232, 1, 2, 3), 8600);
        let mut w = PcapWriter::new(Vec::new(), src, dst).unwrap();
        w.write_datagram(1_700_000_000_123_456_789, &[48, 0, 4, 0]).unwrap();
        w.write_datagram(1_700_000_001_000_000_000, &[1, 2, 3]).unwrap();
        let bytes = w.finish().unwrap();
        let got = udp_datagrams(&bytes).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].unix_ns, 1_700_000_000_123_456_789);
        assert_eq!(got[0].payload, &[48, 0, 4, 0]);
        assert_eq!((got[1].src, got[1].dst), (src, dst));
        // The IPv4 header checksum verifies to zero over the header.
        let ip = &bytes[24 + 16 + 14..24 + 16 + 34];
        assert_eq!(internet_checksum(&[ip]), 0);
    }

    /// Issue 19: malformed packets were skipped without a word; now they are counted apart
    /// from packets that merely carry something else.
    #[test]
    fn malformed_pcap_packets_are_counted() {
        let src = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 40000);
        let dst = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 2), 8600);
        let mut w = PcapWriter::new(Vec::new(), src, dst).unwrap();
        w.write_datagram(0, &[48, 0, 3]).unwrap();
        let mut bytes = w.finish().unwrap();
        let good = bytes[24..].to_vec();
        let mut packet = |frame: &[u8]| {
            bytes.extend_from_slice(&[0; 8]);
            bytes.extend_from_slice(&(frame.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&(frame.len() as u32).to_le_bytes());
            bytes.extend_from_slice(frame);
        };
        let eth = &good[16..];
        packet(&eth[..10]); // shorter than an Ethernet header
        packet(&eth[..14 + 12]); // IPv4 header cut short
        let mut ihl = eth.to_vec();
        ihl[14] = 0x42; // IHL 8 octets
        packet(&ihl);
        let mut arp = eth.to_vec();
        arp[12..14].copy_from_slice(&0x0806u16.to_be_bytes());
        packet(&arp);
        let c = read_udp(&bytes).unwrap();
        assert_eq!(c.datagrams.len(), 1);
        assert_eq!((c.malformed, c.first_malformed, c.other), (3, Some(1), 1));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(matches!(udp_datagrams(&[0; 10]), Err(PcapError::Truncated { .. })));
        assert!(matches!(udp_datagrams(&[0; 24]), Err(PcapError::BadMagic { .. })));
        let mut bytes = PcapWriter::new(Vec::new(), "1.2.3.4:5".parse().unwrap(), "5.6.7.8:9".parse().unwrap())
            .unwrap()
            .finish()
            .unwrap();
        bytes.extend_from_slice(&[0; 16]);
        bytes[24 + 8] = 200; // caplen past the end
        assert!(matches!(udp_datagrams(&bytes), Err(PcapError::Truncated { .. })));
        for n in 0..bytes.len() {
            let _ = udp_datagrams(&bytes[..n]);
        }
    }
}
