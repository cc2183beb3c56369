//! One client per API base, project and session kind on a page: every widget mounted against the same server
//! shares its session, its expiry prompt and its task poller.

use std::cell::RefCell;
use std::rc::Rc;

use crate::linear_map::LinearMap;
use vmbackup_client::fetch::{Credentials, FetchTransport, JsRuntime};
use vmbackup_client::{Client, ClientOptions, Session};

/// How a widget's client reaches the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// The API base (`/api` behind the portal's proxy, or a full URL).
    pub api_base: String,
    /// The project every call is scoped to.
    pub project: Option<String>,
    /// Whether fetch sends the page's cookies.
    pub credentials: Credentials,
}

thread_local! {
    static CLIENTS: RefCell<LinearMap<Connection, Client>> = RefCell::new(LinearMap::new());
}

/// The page's client for `connection` in the host's cookie session, created on first use.
pub fn shared_client(connection: &Connection) -> Client {
    CLIENTS.with(|clients| {
        clients
            .borrow_mut()
            .get_or_insert_with(connection.clone(), || {
                let options = ClientOptions::new(connection.api_base.clone(), Session::HostCookie)
                    .project(connection.project.clone());
                Client::new(options, Rc::new(FetchTransport::new(connection.credentials)), Rc::new(JsRuntime))
            })
            .clone()
    })
}

/// Makes `client` the page's client for `connection` (the SPA, which logs in itself, shares its client this
/// way).
pub fn register_client(connection: Connection, client: Client) {
    CLIENTS.with(|clients| clients.borrow_mut().insert(connection, client));
}
