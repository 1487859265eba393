//! Where a feed goes: a raw ASTERIX file (data blocks back to back, the "final" format
//! most tools read), a pcap capture (one UDP datagram per send), or a live UDP socket,
//! in simulation time or paced to the wall clock.
use bulwark_asterix::pcap::PcapWriter;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, ToSocketAddrs, UdpSocket};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One UDP datagram's worth of ASTERIX data blocks, stamped with its time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Datagram {
    /// Simulation time (ns since scenario start).
    pub sim_ns: i64,
    /// UTC time (ns since 1970-01-01): the scenario epoch plus `sim_ns`.
    pub unix_ns: i128,
    /// Concatenated data blocks, at most [`MAX_DATAGRAM`] octets.
    pub bytes: Vec<u8>,
}

/// Largest datagram a feed sends (octets): one Ethernet MTU less the IPv4 and UDP headers,
/// so that no datagram is fragmented.
pub const MAX_DATAGRAM: usize = 1472;

/// A feed destination.
pub enum Sink {
    /// Raw data blocks, back to back, written to `tmp` and renamed to `path` when complete.
    File { path: PathBuf, tmp: PathBuf, out: BufWriter<File> },
    /// A libpcap capture of UDP datagrams to port 8600, written to `tmp` as `File` is.
    Pcap { path: PathBuf, tmp: PathBuf, out: PcapWriter<BufWriter<File>> },
    /// A live UDP socket.
    Udp { socket: UdpSocket, to: SocketAddr },
}

/// Why a sink failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("{path}: {source}")]
    File { path: PathBuf, source: io::Error },
    #[error("UDP {to}: {source}")]
    Udp { to: String, source: io::Error },
}

/// UDP port Wireshark decodes as ASTERIX by default.
pub const ASTERIX_PORT: u16 = 8600;

/// Completes a file sink: its data on disk, then its final name.
fn seal(path: PathBuf, tmp: &Path, file: Result<File, io::Error>) -> Result<(), SinkError> {
    let done = file.and_then(|f| f.sync_all()).and_then(|()| std::fs::rename(tmp, &path));
    done.map_err(|source| {
        let _ = std::fs::remove_file(tmp);
        SinkError::File { path, source }
    })
}

impl Sink {
    pub fn file(path: &Path) -> Result<Sink, SinkError> {
        let err = |source| SinkError::File { path: path.to_path_buf(), source };
        let tmp = bulwark_engine::partial_path(path);
        let out = BufWriter::new(File::create(&tmp).map_err(err)?);
        Ok(Sink::File { path: path.to_path_buf(), tmp, out })
    }

    /// A capture as if sent from 127.0.0.1 to 127.0.0.1:8600.
    pub fn pcap(path: &Path) -> Result<Sink, SinkError> {
        let err = |source| SinkError::File { path: path.to_path_buf(), source };
        let tmp = bulwark_engine::partial_path(path);
        let f = BufWriter::new(File::create(&tmp).map_err(err)?);
        let src = SocketAddrV4::new(Ipv4Addr::LOCALHOST, ASTERIX_PORT);
        let dst = SocketAddrV4::new(Ipv4Addr::LOCALHOST, ASTERIX_PORT);
        let out = PcapWriter::new(f, src, dst).map_err(err)?;
        Ok(Sink::Pcap { path: path.to_path_buf(), tmp, out })
    }

    /// A UDP sender to `to` ("host:port").
    pub fn udp(to: &str) -> Result<Sink, SinkError> {
        let err = |source| SinkError::Udp { to: to.to_string(), source };
        let addr = to
            .to_socket_addrs()
            .map_err(err)?
            .next()
            .ok_or_else(|| err(io::Error::new(io::ErrorKind::NotFound, "no address")))?;
        let bind: SocketAddr = if addr.is_ipv4() { "0.0.0.0:0".parse() } else { "[::]:0".parse() }
            .map_err(|e| err(io::Error::new(io::ErrorKind::InvalidInput, e)))?;
        let socket = UdpSocket::bind(bind).map_err(err)?;
        Ok(Sink::Udp { socket, to: addr })
    }

    fn send(&mut self, d: &Datagram) -> Result<(), SinkError> {
        match self {
            Sink::File { path, out, .. } => {
                out.write_all(&d.bytes).map_err(|source| SinkError::File { path: path.clone(), source })
            }
            Sink::Pcap { path, out, .. } => {
                out.write_datagram(d.unix_ns, &d.bytes).map_err(|source| SinkError::File { path: path.clone(), source })
            }
            Sink::Udp { socket, to } => socket
                .send_to(&d.bytes, *to)
                .map(|_| ())
                .map_err(|source| SinkError::Udp { to: to.to_string(), source }),
        }
    }

    fn finish(self) -> Result<(), SinkError> {
        match self {
            Sink::File { path, tmp, out } => seal(path, &tmp, out.into_inner().map_err(|e| e.into_error())),
            Sink::Pcap { path, tmp, out } => {
                seal(path, &tmp, out.finish().and_then(|w| w.into_inner().map_err(|e| e.into_error())))
            }
            Sink::Udp { .. } => Ok(()),
        }
    }

    /// Gives a failed feed up: a file sink's partial file is removed, its final name untouched.
    fn abandon(self) {
        // The writer is still open: Unix unlinks it at once; where removal fails, what is left
        // is a `.tmp`, never a file under the final name.
        if let Sink::File { tmp, .. } | Sink::Pcap { tmp, .. } = self {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Sends `datagrams` (in time order) to every sink. With `realtime`, each is sent when the
/// wall clock since the call reaches its simulation time; otherwise as fast as possible.
pub fn emit(datagrams: &[Datagram], sinks: Vec<Sink>, realtime: bool) -> Result<(), SinkError> {
    let mut e = Emitter::new(sinks, realtime);
    e.send(datagrams)?;
    e.finish()
}

/// Sends datagrams to every sink as they come ([`emit`] in parts, for a feed sent while its
/// run runs). After a failure every sink is given up (files left under no final name) and
/// every later call fails with the first error.
pub struct Emitter {
    sinks: Vec<Sink>,
    realtime: bool,
    start: Instant,
    /// Simulation time of the first datagram sent (ns): the wall clock's zero.
    t0: Option<i64>,
    failed: Option<String>,
}

impl Emitter {
    pub fn new(sinks: Vec<Sink>, realtime: bool) -> Emitter {
        Emitter { sinks, realtime, start: Instant::now(), t0: None, failed: None }
    }

    fn failed(&self) -> Option<SinkError> {
        let why = self.failed.as_ref()?;
        Some(SinkError::File { path: PathBuf::from("feed"), source: io::Error::other(why.clone()) })
    }

    /// Sends `datagrams` (in time order, after every datagram sent before).
    pub fn send(&mut self, datagrams: &[Datagram]) -> Result<(), SinkError> {
        if let Some(e) = self.failed() {
            return Err(e);
        }
        for d in datagrams {
            let t0 = *self.t0.get_or_insert(d.sim_ns);
            if self.realtime {
                let due = Duration::from_nanos(u64::try_from(d.sim_ns - t0).unwrap_or(0));
                if let Some(wait) = due.checked_sub(self.start.elapsed()) {
                    std::thread::sleep(wait);
                }
            }
            if let Some(e) = self.sinks.iter_mut().find_map(|s| s.send(d).err()) {
                std::mem::take(&mut self.sinks).into_iter().for_each(Sink::abandon);
                self.failed = Some(e.to_string());
                return Err(e);
            }
        }
        Ok(())
    }

    /// Completes every sink (files under their final names).
    pub fn finish(self) -> Result<(), SinkError> {
        if let Some(e) = self.failed() {
            return Err(e);
        }
        let mut first_error = None;
        for s in self.sinks {
            match first_error {
                None => first_error = s.finish().err(),
                Some(_) => s.abandon(),
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datagrams() -> Vec<Datagram> {
        (0..3)
            .map(|i| Datagram {
                sim_ns: i * 20_000_000,
                unix_ns: 1_700_000_000_000_000_000,
                bytes: vec![34, 0, 4, i as u8],
            })
            .collect()
    }

    #[test]
    fn udp_sink_delivers_every_datagram_in_order() {
        let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
        rx.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let to = rx.local_addr().unwrap().to_string();
        let t = Instant::now();
        emit(&datagrams(), vec![Sink::udp(&to).unwrap()], true).unwrap();
        // Paced: the last datagram is due 40 ms after the first.
        assert!(t.elapsed() >= Duration::from_millis(40));
        let mut buf = [0u8; 64];
        for i in 0..3u8 {
            let n = rx.recv(&mut buf).unwrap();
            assert_eq!(&buf[..n], &[34, 0, 4, i]);
        }
    }

    #[test]
    fn file_and_pcap_sinks_hold_the_bytes() {
        let dir = std::env::temp_dir().join(format!("bulwark-feed-sink-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (raw, cap) = (dir.join("a.ast"), dir.join("a.pcap"));
        emit(&datagrams(), vec![Sink::file(&raw).unwrap(), Sink::pcap(&cap).unwrap()], false).unwrap();
        assert_eq!(std::fs::read(&raw).unwrap(), [34, 0, 4, 0, 34, 0, 4, 1, 34, 0, 4, 2]);
        let bytes = std::fs::read(&cap).unwrap();
        let got = bulwark_asterix::pcap::udp_datagrams(&bytes).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].payload, &[34, 0, 4, 2]);
        assert_eq!(got[0].dst.port(), ASTERIX_PORT);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_destinations_are_errors() {
        assert!(Sink::udp("not an address").is_err());
        assert!(Sink::file(Path::new("/nonexistent-dir/x.ast")).is_err());
    }
}
