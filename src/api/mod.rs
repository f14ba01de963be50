//! Everything that talks to Kisi. Views never build a request: they call [`KisiClient`].
//!
//! Requests go one after another (Kisi asks clients not to send a user's requests in parallel),
//! carry the secret only in the `Authorization` header, and send no cookies and no `Referer`.

pub mod error;
pub mod lock;
pub mod range;

use gloo_net::http::{RequestBuilder, Response};
use web_sys::{ReferrerPolicy, RequestCredentials};

use crate::door::{Door, DoorId};
use crate::fragment::Secret;
use error::{ApiError, Problem};
use lock::decode_lock_page;
use range::{CollectionRange, PAGE_SIZE, next_offset};

/// Every door of a link, read across all pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockList {
    /// The doors, in API order.
    pub doors: Vec<Door>,
    /// Items Kisi sent that were not a usable door.
    pub skipped: usize,
}

/// A Kisi API client holding one group link's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KisiClient {
    base: String,
    secret: Secret,
}

impl KisiClient {
    /// A client for the API at `base` (e.g. `https://api.kisi.io`), authenticated by `secret`.
    pub fn new(base: &str, secret: Secret) -> Self {
        KisiClient { base: base.trim_end_matches('/').to_owned(), secret }
    }

    /// The link's secret (for the "remember this link" choice; never for display).
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// `GET /locks`, page after page, until every door the link grants has been read.
    pub async fn fetch_all_locks(&self) -> Result<LockList, ApiError> {
        let mut list = LockList::default();
        let mut offset = 0;
        loop {
            let url = format!("{}/locks?limit={PAGE_SIZE}&offset={offset}", self.base);
            let response = self.send(self.request(RequestBuilder::new(&url)).build()).await?;
            let range = response.headers().get("x-collection-range").and_then(|h| CollectionRange::parse(&h));
            let body = read_body(&response).await?;
            let page = decode_lock_page(&body).map_err(|_| ApiError::without_response(Problem::BadResponse))?;
            list.skipped += page.skipped;
            list.doors.extend(page.doors);
            match next_offset(offset, page.received, range) {
                Some(next) => offset = next,
                None => return Ok(list),
            }
        }
    }

    /// `POST /locks/{id}/unlock`. Geofence and reader restrictions do not apply to group links, so
    /// the body is empty JSON.
    pub async fn unlock(&self, door: DoorId) -> Result<(), ApiError> {
        let url = format!("{}/locks/{door}/unlock", self.base);
        let request = self
            .request(RequestBuilder::new(&url).method(gloo_net::http::Method::POST))
            .header("Content-Type", "application/json")
            .body("{}");
        self.send(request).await.map(drop)
    }

    fn request(&self, builder: RequestBuilder) -> RequestBuilder {
        builder
            .header("Accept", "application/json")
            .header("Authorization", &format!("KISI-GROUP-LINK {}", self.secret.expose()))
            .credentials(RequestCredentials::Omit)
            .referrer_policy(ReferrerPolicy::NoReferrer)
    }

    async fn send(&self, request: Result<gloo_net::http::Request, gloo_net::Error>) -> Result<Response, ApiError> {
        // A request that cannot even be built is as good as unsent; its error text may quote the
        // header value, so it is dropped rather than shown.
        let request = request.map_err(|_| ApiError::without_response(Problem::Unexpected))?;
        let response = request.send().await.map_err(|_| ApiError::without_response(Problem::Network))?;
        if response.ok() {
            Ok(response)
        } else {
            let body = response.text().await.unwrap_or_default();
            Err(ApiError::from_response(response.status(), &body))
        }
    }
}

async fn read_body(response: &Response) -> Result<String, ApiError> {
    response.text().await.map_err(|_| ApiError::without_response(Problem::Network))
}
