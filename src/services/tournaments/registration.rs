//! Registration: guests by name, players from the share link, the waitlist.
use super::*;

// ---- Registration

pub async fn registrations(
    db: &impl ConnectionTrait,
    tournament_id: i64,
) -> Result<Vec<tournament_player::Model>, AppError> {
    Ok(tournament_player::Entity::find()
        .filter(tournament_player::Column::TournamentId.eq(tournament_id))
        .order_by_asc(tournament_player::Column::Position)
        .order_by_asc(tournament_player::Column::Id)
        .all(db)
        .await?)
}

pub fn is_active(r: &tournament_player::Model) -> bool {
    r.status == "active"
}

#[derive(Debug, Default)]
pub struct AddOutcome {
    pub added: Vec<tournament_player::Model>,
    /// Names already registered; added only when the organizer confirms.
    pub duplicates: Vec<String>,
}

/// Adds guests by name (one per line). Players beyond the maximum go to the
/// waitlist. Duplicate names are refused unless `allow_duplicates`.
#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn add_guests(
    db: &DatabaseConnection,
    actor: &Actor,
    t: &tournaments::Model,
    names: &str,
    allow_duplicates: bool,
) -> Result<AddOutcome, AppError> {
    require_manage(db, Some(actor), t).await?;
    if status_of(t) == TournamentStatus::Finished {
        return Err(AppError::Conflict("This tournament is finished.".into()));
    }
    let mut parsed = Vec::new();
    for (i, line) in names.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let n = PlayerName::parse(line)
            .map_err(|e| AppError::field("names", format!("Line {}: {e}", i + 1)))?;
        parsed.push(n.into_inner());
    }
    if parsed.is_empty() {
        return Err(AppError::field(
            "names",
            "Type at least one name, one per line.",
        ));
    }
    if parsed.len() > MAX_PLAYERS as usize * 2 {
        return Err(AppError::field(
            "names",
            "That is more names than a tournament can hold.",
        ));
    }
    let txn = db.begin().await?;
    let existing = registrations(&txn, t.id).await?;
    let mut seen: Vec<String> = existing
        .iter()
        .filter(|r| r.status != "withdrawn")
        .map(|r| r.name.to_lowercase())
        .collect();
    let mut out = AddOutcome::default();
    for name in &parsed {
        if seen.contains(&name.to_lowercase()) {
            out.duplicates.push(name.clone());
        }
        seen.push(name.to_lowercase());
    }
    if !out.duplicates.is_empty() && !allow_duplicates {
        return Err(AppError::field(
            "names",
            format!(
                "Already on the list: {}. Add a surname or initial, or tick “add anyway”.",
                out.duplicates.join(", ")
            ),
        ));
    }
    let live = status_of(t) == TournamentStatus::Live;
    for name in parsed {
        out.added
            .push(insert_registration(&txn, t, None, name, live).await?);
    }
    txn.commit().await?;
    Ok(out)
}

async fn insert_registration(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    user_id: Option<i64>,
    name: String,
    late: bool,
) -> Result<tournament_player::Model, AppError> {
    let all = registrations(db, t.id).await?;
    let active = all.iter().filter(|r| is_active(r)).count() as i32;
    let position = all.iter().map(|r| r.position).max().unwrap_or(0) + 1;
    // After the start, newcomers wait until the organizer brings them in.
    let status = if active >= t.max_players || late {
        "waitlist"
    } else {
        "active"
    };
    // A new name changes the standings and the player list: cached and
    // ETag-checked views must see a new version.
    crate::services::rounds::bump_version(db, t.id).await?;
    Ok(tournament_player::ActiveModel {
        tournament_id: Set(t.id),
        user_id: Set(user_id),
        name: Set(name),
        status: Set(status.into()),
        late: Set(late),
        position: Set(position),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A player joins from the share link: signed in, or as a guest by name.
#[tracing::instrument(skip_all, fields(tournament = t.id))]
pub async fn join(
    db: &DatabaseConnection,
    actor: Option<&Actor>,
    t: &tournaments::Model,
    guest_name: Option<&str>,
) -> Result<tournament_player::Model, AppError> {
    if status_of(t) == TournamentStatus::Finished {
        return Err(AppError::Conflict("This tournament is finished.".into()));
    }
    let txn = db.begin().await?;
    let existing = registrations(&txn, t.id).await?;
    let (user_id, name) = match (actor, guest_name.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(a), None) => {
            if let Some(r) = existing.iter().find(|r| r.user_id == Some(a.id())) {
                return Ok(r.clone());
            }
            (Some(a.id()), a.user.display_name.clone())
        }
        (_, Some(n)) => {
            let n = PlayerName::parse(n)
                .map_err(|e| AppError::field("name", e))?
                .into_inner();
            if existing
                .iter()
                .any(|r| r.status != "withdrawn" && r.name.eq_ignore_ascii_case(&n))
            {
                return Err(AppError::field(
                    "name",
                    "Someone with that name has already joined. Add your surname or an initial.",
                ));
            }
            (None, n)
        }
        (None, None) => return Err(AppError::field("name", "Please enter your name.")),
    };
    let live = status_of(t) == TournamentStatus::Live;
    let reg = insert_registration(&txn, t, user_id, name, live).await?;
    txn.commit().await?;
    Ok(reg)
}

pub async fn registration(
    db: &impl ConnectionTrait,
    t: &tournaments::Model,
    id: i64,
) -> Result<tournament_player::Model, AppError> {
    tournament_player::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| r.tournament_id == t.id)
        .ok_or_else(|| AppError::not_found("That player"))
}
