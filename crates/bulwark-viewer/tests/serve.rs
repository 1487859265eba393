//! `bulwark view`'s server over raw TCP: loopback only, the page at `/`, the folder's files,
//! and 404 for anything outside the folder however it is spelled.
use bulwark_viewer::serve::Server;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, buf)
}

/// An address of this machine other than loopback, if it has one (no packet is sent).
fn other_local_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("10.255.255.255:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn serves_the_folder_on_loopback_only_and_nothing_outside_it() {
    let base = std::env::temp_dir().join(format!("bulwark-viewer-serve-{}", std::process::id()));
    let dir = base.join("run");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("summary.json"), "{\"seed\":1}").unwrap();
    std::fs::write(dir.join("sub/a.csv"), "x\n1\n").unwrap();
    std::fs::write(base.join("secret.txt"), "outside").unwrap();

    let server = Server::bind(&dir, 0, "<!doctype html><p>page</p>".into(), None).unwrap();
    let addr = server.local_addr().unwrap();
    assert!(addr.ip().is_loopback(), "{addr}");
    std::thread::spawn(move || server.run());

    let (code, body) = get(addr, "/");
    assert_eq!(code, 200);
    assert!(body.contains("<p>page</p>"));
    assert_eq!(get(addr, "/summary.json").0, 200);
    assert_eq!(get(addr, "/sub/a.csv").0, 200);
    for bad in [
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/sub/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/missing.csv",
        "/live/events",
    ] {
        let (code, body) = get(addr, bad);
        assert_eq!(code, 404, "{bad}: {body}");
        assert!(!body.contains("outside"), "{bad}");
    }
    if let Some(ip) = other_local_ip() {
        let other = SocketAddr::new(ip, addr.port());
        assert!(TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(), "answers on {other}");
    }
    std::fs::remove_dir_all(&base).unwrap();
}
