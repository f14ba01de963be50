//! The Kisi API as a group link sees it: `GET /locks`, `POST /locks/{id}/unlock`,
//! `GET /organization`, `GET /places/{id}`, with Kisi's error bodies, paging header and CORS.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde_json::{Value, json};
use tower_http::cors::{Any, CorsLayer};

use crate::chaos::Chaos;
use crate::group_links::{ADMIN_KEY, CreateBody, LinkStore, Standing};
use crate::record::RecordedRequest;
use crate::scenario::{Scenario, UnlockOutcome, places};
use crate::server::RunningServer;

/// Kisi's documented `limit` default and maximum for `GET /locks`.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 250;
const MAX_OFFSET: usize = 20_000;

/// How the sandbox behaves beyond what the secret selects.
#[derive(Clone, Copy, Debug)]
pub struct SandboxOptions {
    /// Port on 127.0.0.1; `0` picks a free one.
    pub port: u16,
    /// Added to every API answer (not to preflights).
    pub latency: Duration,
    /// Added on top for the `slow` scenario.
    pub slow_latency: Duration,
    /// Puts the fault-injecting front ([`crate::chaos`]) before every API answer, drawing from
    /// this seed.
    pub chaos_seed: Option<u64>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions { port: 0, latency: Duration::ZERO, slow_latency: Duration::from_millis(2000), chaos_seed: None }
    }
}

#[derive(Debug, Default)]
struct Shared {
    options: Option<SandboxOptions>,
    /// Calls so far per (secret, route), for scenarios that change their answer over time.
    calls: Mutex<HashMap<String, usize>>,
    /// Group links issued through `POST /group_links`.
    links: LinkStore,
}

impl Shared {
    /// Counts a call to `route` by `secret`; returns how many came before it.
    fn count(&self, secret: &str, route: &str) -> usize {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let count = calls.entry(format!("{secret} {route}")).or_default();
        *count += 1;
        *count - 1
    }
}

/// Who is calling: the scenario and the exact secret (counters are per secret).
struct Caller {
    scenario: Scenario,
    secret: String,
}

/// A running Kisi sandbox. Dropping it stops it.
#[derive(Debug)]
pub struct KisiSandbox {
    server: RunningServer,
    chaos: Option<Arc<Chaos>>,
}

impl KisiSandbox {
    /// Starts the sandbox on `127.0.0.1`.
    pub async fn start(options: SandboxOptions) -> io::Result<Self> {
        let shared = Arc::new(Shared { options: Some(options), ..Shared::default() });
        let chaos = options.chaos_seed.map(Chaos::new);
        let server = RunningServer::start(router(shared, chaos.clone()), options.port).await?;
        Ok(KisiSandbox { server, chaos })
    }

    /// The faults the chaos front injected so far, by kind (empty without one).
    pub fn faults(&self) -> std::collections::BTreeMap<crate::chaos::Fault, u64> {
        self.chaos.as_ref().map(|chaos| chaos.injected()).unwrap_or_default()
    }

    /// The API base URL to configure in the page, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Every request received so far (preflights included), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// Holds back every answer to a path starting with `path_prefix` (e.g. `/locks`) until the
    /// returned hold is released: "before Kisi answered" without betting on a latency.
    pub fn hold(&self, path_prefix: &str) -> crate::server::Hold {
        self.server.hold(path_prefix)
    }

    /// Waits (up to `limit`) until `count` requests with `method` and `path` (query ignored) have
    /// arrived; `false` if they did not.
    pub async fn wait_for_calls(&self, method: &str, path: &str, count: usize, limit: Duration) -> bool {
        self.server
            .recorder()
            .wait_until(limit, |requests| {
                requests.iter().filter(|r| r.method == method && r.path_only() == path).count() >= count
            })
            .await
    }
}

fn router(shared: Arc<Shared>, chaos: Option<Arc<Chaos>>) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([HeaderName::from_static("x-collection-range"), header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));
    let routes = Router::new()
        .route("/locks", get(fetch_locks))
        .route("/locks/{id}/unlock", post(unlock_lock))
        .route("/organization", get(fetch_organization))
        .route("/assets/acme-logo.svg", get(logo))
        .route("/places/{id}", get(fetch_place))
        .route("/portal/sign-in", get(|| async { sign_in_page() }))
        .route("/group_links", get(list_group_links).post(create_group_link))
        .route("/group_links/{id}", delete(delete_group_link))
        .fallback(|| async { Failure::Kisi(StatusCode::NOT_FOUND, "Not found.", "ffffff") })
        .with_state(shared);
    // Inside the CORS layer: preflights pass untouched, and injected answers carry CORS headers.
    let routes = match chaos {
        Some(chaos) => routes.layer(axum::middleware::from_fn_with_state(chaos, crate::chaos::front)),
        None => routes,
    };
    routes.layer(cors)
}

/// A failed call, answered with one of Kisi's two error bodies.
enum Failure {
    /// `Error`: `{"error": message, "code": code}`.
    Kisi(StatusCode, &'static str, &'static str),
    /// `Errors` (422): `{"errors": {field: [problem]}}`.
    Invalid(&'static str, &'static str),
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Kisi(status, message, code) => {
                (status, axum::Json(json!({"error": message, "code": code}))).into_response()
            }
            Failure::Invalid(field, problem) => {
                (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({"errors": {field: [problem]}}))).into_response()
            }
        }
    }
}

/// Reads `Authorization: KISI-GROUP-LINK <secret>` and picks the scenario, waiting out the
/// configured latency first. Link-level errors come back as the `Err`.
async fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<Caller, Failure> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("KISI-GROUP-LINK "))
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let scenario = match shared.links.find(&secret).map(|link| link.standing(time::OffsetDateTime::now_utc())) {
        Some(Standing::Valid) => Scenario::Demo,
        Some(Standing::NotYetValid) => Scenario::NotYetValidLink,
        Some(Standing::Expired) => Scenario::ExpiredLink,
        Some(Standing::Disabled) => {
            return Err(Failure::Kisi(StatusCode::FORBIDDEN, "Links are disabled for this place.", "f298cf"));
        }
        None => Scenario::for_secret(&secret),
    };
    let options = shared.options.unwrap_or_default();
    let delay = options.latency + if scenario == Scenario::Slow { options.slow_latency } else { Duration::ZERO };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match scenario.link_error() {
        Some((status, message, code)) => {
            Err(Failure::Kisi(StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN), message, code))
        }
        None => Ok(Caller { scenario, secret }),
    }
}

/// A guest Wi-Fi's sign-in page, as a portal serves it in place of any site.
fn sign_in_page() -> Response {
    let page = "<!doctype html><html><body><h1>Guest Wi-Fi</h1><p>Accept the terms to go online.</p></body></html>";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

fn too_many_requests(retry_after: &'static str) -> Response {
    let mut response =
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({"error": "Too many requests."}))).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(retry_after));
    response
}

fn number(query: &HashMap<String, String>, name: &'static str, default: usize) -> Result<usize, Failure> {
    query.get(name).map_or(Ok(default), |raw| raw.parse().map_err(|_| Failure::Invalid(name, "is not a number")))
}

async fn fetch_locks(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Failure> {
    let Caller { scenario, secret } = authenticate(&shared, &headers).await?;
    match scenario {
        Scenario::RateLimited if shared.count(&secret, "locks") == 0 => return Ok(too_many_requests("1")),
        Scenario::RetryAfter if shared.count(&secret, "locks") == 0 => return Ok(too_many_requests("2")),
        Scenario::Flaky if shared.count(&secret, "locks") < 2 => {
            return Ok((StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response());
        }
        Scenario::Renamed if shared.count(&secret, "locks") > 0 => {
            let mut items = scenario.lock_items();
            for item in items.iter_mut().filter(|item| item["id"] == 101) {
                item["name"] = json!("Main entrance (renamed)");
            }
            return paged(items, &query, DEFAULT_LIMIT);
        }
        Scenario::Garbage => return Ok((StatusCode::OK, r#"[{"id": 1, "name": "the rest is missi"#).into_response()),
        Scenario::CaptiveRedirect => {
            return Ok((StatusCode::FOUND, [(header::LOCATION, "/portal/sign-in")]).into_response());
        }
        Scenario::CaptivePage => return Ok(sign_in_page()),
        Scenario::StrippedAuth if shared.count(&secret, "locks") > 0 => {
            return Err(Failure::Kisi(StatusCode::UNAUTHORIZED, "Your link is invalid.", "f29aef"));
        }
        Scenario::Hang => std::future::pending::<()>().await,
        Scenario::Cut => {
            // A promise of 4 KB, 12 bytes delivered, then the connection drops.
            let body = futures_util::stream::iter([
                Ok(Bytes::from_static(b"[{\"id\": 1, \"na")),
                Err(std::io::Error::other("connection cut by the sandbox")),
            ]);
            let mut response = Response::new(axum::body::Body::from_stream(body));
            response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("4096"));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            return Ok(response);
        }
        _ => {}
    }
    paged(scenario.lock_items(), &query, DEFAULT_LIMIT)
}

/// One page of `items` as Kisi pages collections: `limit` (default `default_limit`, at most 250)
/// and `offset` from the query, and `X-Collection-Range` echoing the *requested* range (`*/0` when
/// the collection is empty).
fn paged(items: Vec<Value>, query: &HashMap<String, String>, default_limit: usize) -> Result<Response, Failure> {
    let limit = number(query, "limit", default_limit)?.clamp(1, MAX_LIMIT);
    let offset = number(query, "offset", 0)?.min(MAX_OFFSET);
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    let range = if total == 0 { "*/0".to_owned() } else { format!("{}-{}/{}", offset, offset + limit - 1, total) };
    let mut response = axum::Json(page).into_response();
    response.headers_mut().insert("x-collection-range", HeaderValue::from_str(&range).expect("ASCII header"));
    Ok(response)
}

async fn unlock_lock(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Failure> {
    let Caller { scenario, secret } = authenticate(&shared, &headers).await?;
    if scenario == Scenario::UnlockHangs {
        std::future::pending::<()>().await;
    }
    if scenario == Scenario::UnlockRedirect {
        return Ok((StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, "/portal/sign-in")]).into_response());
    }
    // The body is optional; when present it must be a JSON object (`{}` or the docs' example).
    let empty = body.iter().all(u8::is_ascii_whitespace);
    if !empty && !matches!(serde_json::from_slice::<Value>(&body), Ok(Value::Object(_))) {
        return Err(Failure::Invalid("body", "must be a JSON object"));
    }
    let door = id
        .parse::<u64>()
        .ok()
        .and_then(|id| scenario.doors().into_iter().find(|d| d.id == id))
        .ok_or(Failure::Kisi(StatusCode::NOT_FOUND, "Lock not found.", "fad10e"))?;
    let failure = if door.locked_down {
        Some(Failure::Kisi(StatusCode::FORBIDDEN, "The door is locked down.", "fad001"))
    } else if !door.configured {
        Some(Failure::Kisi(StatusCode::CONFLICT, "The door is not configured.", "fad105"))
    } else if door.online == Some(false) {
        Some(Failure::Kisi(StatusCode::SERVICE_UNAVAILABLE, "The controller is offline.", "fac001"))
    } else {
        match door.unlock {
            UnlockOutcome::Unlocks => None,
            UnlockOutcome::ControllerOffline => {
                Some(Failure::Kisi(StatusCode::SERVICE_UNAVAILABLE, "The controller is offline.", "fac001"))
            }
            UnlockOutcome::PlaceLockedDown => {
                Some(Failure::Kisi(StatusCode::FORBIDDEN, "The place is locked down.", "fad002"))
            }
            UnlockOutcome::Gone => Some(Failure::Kisi(StatusCode::NOT_FOUND, "Lock not found.", "fad10e")),
            UnlockOutcome::Unavailable => {
                return Ok((StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable").into_response());
            }
            UnlockOutcome::RateLimitedOnce if shared.count(&secret, &format!("unlock {}", door.id)) == 0 => {
                return Ok(too_many_requests("1"));
            }
            UnlockOutcome::RateLimitedOnce => None,
        }
    };
    match failure {
        Some(failure) => Err(failure),
        None => Ok(axum::Json(json!({"message": "Unlocked!"})).into_response()),
    }
}

/// The demo organization's logo, as Kisi would host it (here: on the sandbox itself).
const ACME_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="14" fill="#e4572e"/><path d="M18 46 32 16l14 30h-8l-6-14-6 14z" fill="#fff"/></svg>"##;

async fn logo() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=3600")], ACME_LOGO)
        .into_response()
}

async fn fetch_organization(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Result<Response, Failure> {
    authenticate(&shared, &headers).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    Ok(axum::Json(json!({
        "id": 1, "resource_type": "Organization", "name": "Acme Works", "domain": "acme-works",
        "logo": format!("http://{host}/assets/acme-logo.svg"), "address": "Torstraße 1, 10119 Berlin", "description": null,
        "time_zone": "Europe/Berlin", "transfer_to_id": null, "image": null, "color": null,
    }))
    .into_response())
}

async fn fetch_place(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    authenticate(&shared, &headers).await?;
    let (id, name, address) = places()
        .into_iter()
        .find(|(place_id, _, _)| Some(*place_id) == id.parse().ok())
        .ok_or(Failure::Kisi(StatusCode::NOT_FOUND, "Place not found.", "ffffff"))?;
    Ok(axum::Json(json!({
        "id": id, "resource_type": "Place", "name": name, "description": null, "address": address,
        "latitude": 52.52, "longitude": 13.40, "image": null, "time_zone": "Europe/Berlin", "color": null, "logo": null,
    }))
    .into_response())
}

/// Administrator calls: `Authorization: KISI-LOGIN <api key>` with the sandbox's [`ADMIN_KEY`].
fn authenticate_admin(headers: &HeaderMap) -> Result<(), Failure> {
    let key =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("KISI-LOGIN "));
    match key {
        Some(key) if key.trim() == ADMIN_KEY => Ok(()),
        _ => Err(Failure::Kisi(StatusCode::UNAUTHORIZED, "Invalid API key.", "f29aef")),
    }
}

async fn create_group_link(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Failure> {
    authenticate_admin(&headers)?;
    let body: CreateBody =
        serde_json::from_slice(&body).map_err(|_| Failure::Invalid("group_link", "is missing or malformed"))?;
    match shared.links.create(body) {
        Ok(created) => Ok(axum::Json(created).into_response()),
        Err(errors) => {
            let mut fields = serde_json::Map::new();
            for (field, problem) in errors {
                fields.entry(field).or_insert_with(|| json!([])).as_array_mut().expect("an array").push(json!(problem));
            }
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({ "errors": fields }))).into_response())
        }
    }
}

async fn list_group_links(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Failure> {
    authenticate_admin(&headers)?;
    let group = query.get("group_id").and_then(|g| g.parse().ok());
    // Kisi's documented default page size for group links is 10.
    paged(shared.links.list(group), &query, 10)
}

async fn delete_group_link(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    authenticate_admin(&headers)?;
    match id.parse().ok().filter(|id| shared.links.delete(*id)) {
        Some(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        None => Err(Failure::Kisi(StatusCode::NOT_FOUND, "Group link not found.", "ffffff")),
    }
}
