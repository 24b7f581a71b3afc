//! A password in the URL an application hands the library never shows up in
//! the error it gets back (`Display`, `Debug`, every `source()` of the chain)
//! nor in the `tracing` events emitted on the way, whatever fails: a wrong
//! password, a database that does not exist, a port nobody listens on, TLS
//! the server does not offer (run with the server variables set and the
//! `postgres`/`mysql` features).

#![cfg(any(feature = "postgres", feature = "mysql"))]

#[allow(dead_code)]
#[path = "common/capture.rs"]
mod capture;

use std::error::Error as _;

use aludel::Migrations;
use capture::capture;

static CHAIN: Migrations = aludel::embed_migrations!("tests/fixtures/portable");

const SECRET: &str = "Zq9SeCrEt";

/// The server URL of `var` with `SECRET` as password, `user` and `path` in place.
fn with_password(var: &str, user: &str, hostport_path: &str) -> Option<String> {
    let url = std::env::var(var).ok()?;
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('@').next_back()?.split('/').next()?;
    Some(format!(
        "{scheme}://{user}:{SECRET}@{}",
        hostport_path.replace("HOST", host)
    ))
}

fn assert_no_secret(url: &str, err: &aludel::Error, shown: &mut Vec<String>) {
    shown.push(err.to_string());
    shown.push(format!("{err:?}"));
    let mut source = err.source();
    while let Some(s) = source {
        shown.push(s.to_string());
        shown.push(format!("{s:?}"));
        source = s.source();
    }
    for text in shown.iter() {
        assert!(!text.contains(SECRET), "{url} showed the password: {text}");
    }
}

async fn check(urls: Vec<String>) {
    for url in urls {
        let (events, _guard) = capture();
        let mut shown = Vec::new();
        for result in [
            CHAIN.upgrade(&url, "head").await.map(|_| ()),
            CHAIN.is_at_head(&url).await.map(|_| ()),
            CHAIN.current(&url).await.map(|_| ()),
        ] {
            let err = result.expect_err(&url);
            assert_no_secret(&url, &err, &mut shown);
        }
        for event in events.all() {
            for value in event.fields.values() {
                assert!(!value.contains(SECRET), "{url}: event {event:?}");
            }
        }
    }
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn postgres_errors_never_show_the_password() {
    let var = "ALUDEL_TEST_POSTGRES_URL";
    let urls = [
        "HOST/aludel_rv_no_such_database",
        "127.0.0.1:1/postgres",
        "HOST/postgres?sslmode=verify-full&sslrootcert=no-such-file.pem",
    ]
    .iter()
    .filter_map(|p| with_password(var, "postgres", p))
    .collect();
    check(urls).await;
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn mysql_errors_never_show_the_password() {
    let var = "ALUDEL_TEST_MYSQL_URL";
    let urls = [
        // root has no password on the test server: this one is wrong.
        "HOST/mysql",
        "127.0.0.1:1/mysql",
        "HOST/mysql?ssl-mode=verify_identity&ssl-ca=no-such-file.pem",
    ]
    .iter()
    .filter_map(|p| with_password(var, "root", p))
    .collect();
    check(urls).await;
}
