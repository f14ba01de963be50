//! Group links, as an administrator manages them (`KISI-LOGIN` auth): `POST /group_links`,
//! `GET /group_links`, `DELETE /group_links/{id}`. A created link's secret works at once as a
//! group link to the demo doors, within its validity window; a deleted one stops working.

use std::sync::Mutex;

use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The administrator API key the sandbox accepts: `Authorization: KISI-LOGIN sandbox-admin-key`.
pub const ADMIN_KEY: &str = "sandbox-admin-key";
/// The one group that exists: its links open the demo doors.
pub const DEMO_GROUP: (u64, &str) = (1, "Visitors");

/// A group link the sandbox has issued.
#[derive(Clone, Debug)]
pub struct IssuedLink {
    /// Kisi's id.
    pub id: u64,
    /// The secret that authenticates the link.
    pub secret: String,
    /// The record as `GET /group_links` shows it (without the secret).
    pub record: Value,
    valid_from: Option<OffsetDateTime>,
    valid_until: Option<OffsetDateTime>,
    enabled: bool,
}

/// Where a link stands right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It opens the demo doors.
    Valid,
    /// Before `valid_from`.
    NotYetValid,
    /// After `valid_until`.
    Expired,
    /// `link_enabled: false`.
    Disabled,
}

impl IssuedLink {
    /// Where the link stands at `now`.
    pub fn standing(&self, now: OffsetDateTime) -> Standing {
        if !self.enabled {
            Standing::Disabled
        } else if self.valid_from.is_some_and(|from| now < from) {
            Standing::NotYetValid
        } else if self.valid_until.is_some_and(|until| now >= until) {
            Standing::Expired
        } else {
            Standing::Valid
        }
    }
}

/// The body of `POST /group_links`.
#[derive(Deserialize)]
pub struct CreateBody {
    group_link: CreateFields,
}

#[derive(Deserialize)]
struct CreateFields {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    group_id: Option<u64>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
    #[serde(default)]
    quick_response_code_type: Option<String>,
    #[serde(default)]
    link_enabled: Option<bool>,
}

/// Every link issued so far.
#[derive(Debug, Default)]
pub struct LinkStore {
    links: Mutex<Vec<IssuedLink>>,
    next_id: Mutex<u64>,
}

/// Field errors, as Kisi's `Errors` body holds them.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

impl LinkStore {
    /// Validates and issues a link. `Err` holds field errors for a 422.
    pub fn create(&self, body: CreateBody) -> Result<Value, FieldErrors> {
        let fields = body.group_link;
        let mut errors = Vec::new();
        let name = fields.name.unwrap_or_default();
        if name.trim().is_empty() {
            errors.push(("name", "can't be blank"));
        }
        if fields.group_id != Some(DEMO_GROUP.0) {
            errors.push(("group_id", "is invalid"));
        }
        let parse = |value: &Option<String>, field: &'static str, errors: &mut FieldErrors| match value {
            Some(text) => OffsetDateTime::parse(text, &Rfc3339).map(Some).unwrap_or_else(|_| {
                errors.push((field, "is not a valid date-time"));
                None
            }),
            None => None,
        };
        let valid_from = parse(&fields.valid_from, "valid_from", &mut errors);
        let valid_until = parse(&fields.valid_until, "valid_until", &mut errors);
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until <= from
        {
            errors.push(("valid_until", "must be after valid_from"));
        }
        if let Some(kind) = &fields.quick_response_code_type
            && !matches!(kind.as_str(), "online" | "offline")
        {
            errors.push(("quick_response_code_type", "is not included in the list"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let id = {
            let mut next = self.next_id.lock().unwrap_or_else(|e| e.into_inner());
            *next += 1;
            1000 + *next
        };
        // Not a real secret scheme: unique and unguessable enough for a sandbox.
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        let secret = format!("gl{id:x}{:016x}", (nanos as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let now = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        let record = json!({
            "id": id,
            "resource_type": "GroupLink",
            "name": name.trim(),
            "email": fields.email,
            "phone": fields.phone,
            "last_used_at": null,
            "link_enabled": fields.link_enabled.unwrap_or(true),
            "quick_response_code_type": fields.quick_response_code_type,
            "valid_from": fields.valid_from,
            "valid_until": fields.valid_until,
            "created_at": now,
            "updated_at": now,
            "group_id": DEMO_GROUP.0,
            "group": {"id": DEMO_GROUP.0, "resource_type": "Group", "name": DEMO_GROUP.1},
            "created_by_type": "User",
            "created_by_id": 1,
        });
        let mut created = record.clone();
        created["secret"] = json!(secret);
        if fields.quick_response_code_type.is_some() {
            created["quick_response_code_token"] = json!(format!("qr-{id}"));
        }
        self.links.lock().unwrap_or_else(|e| e.into_inner()).push(IssuedLink {
            id,
            secret,
            record,
            valid_from,
            valid_until,
            enabled: fields.link_enabled.unwrap_or(true),
        });
        Ok(created)
    }

    /// The records of `group_id`'s links, in creation order.
    pub fn list(&self, group_id: Option<u64>) -> Vec<Value> {
        self.links
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|l| group_id.is_none_or(|g| l.record["group_id"] == json!(g)))
            .map(|l| l.record.clone())
            .collect()
    }

    /// Deletes link `id`; `false` if there is none.
    pub fn delete(&self, id: u64) -> bool {
        let mut links = self.links.lock().unwrap_or_else(|e| e.into_inner());
        let before = links.len();
        links.retain(|l| l.id != id);
        links.len() < before
    }

    /// The issued link with this secret, if any.
    pub fn find(&self, secret: &str) -> Option<IssuedLink> {
        self.links.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|l| l.secret == secret).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(fields: Value) -> CreateBody {
        serde_json::from_value(json!({ "group_link": fields })).unwrap()
    }

    #[test]
    fn issues_working_links_and_checks_fields() {
        let store = LinkStore::default();
        let created = store.create(body(json!({"name": "Ada", "group_id": 1}))).unwrap();
        let secret = created["secret"].as_str().unwrap();
        let link = store.find(secret).unwrap();
        assert_eq!(link.standing(OffsetDateTime::now_utc()), Standing::Valid);
        assert!(store.list(Some(1))[0].get("secret").is_none(), "lists never show secrets");

        let errors = store
            .create(body(json!({"name": " ", "group_id": 9, "valid_from": "2030-01-02T00:00:00Z", "valid_until": "2030-01-01T00:00:00Z"})))
            .unwrap_err();
        assert_eq!(
            errors,
            vec![("name", "can't be blank"), ("group_id", "is invalid"), ("valid_until", "must be after valid_from")]
        );
        assert!(store.delete(link.id));
        assert!(store.find(secret).is_none());
    }

    #[test]
    fn validity_windows_are_honoured() {
        let store = LinkStore::default();
        let created = store
            .create(body(json!({"name": "Bo", "group_id": 1, "valid_from": "2030-01-01T00:00:00+01:00", "valid_until": "2030-01-02T00:00:00+01:00"})))
            .unwrap();
        let link = store.find(created["secret"].as_str().unwrap()).unwrap();
        let at = |s: &str| OffsetDateTime::parse(s, &Rfc3339).unwrap();
        assert_eq!(link.standing(at("2029-12-31T22:59:59Z")), Standing::NotYetValid);
        assert_eq!(link.standing(at("2029-12-31T23:00:00Z")), Standing::Valid, "from is inclusive");
        assert_eq!(link.standing(at("2030-01-01T12:00:00Z")), Standing::Valid);
        assert_eq!(link.standing(at("2030-01-01T23:00:00Z")), Standing::Expired);
    }
}
