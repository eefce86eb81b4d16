# One service account per workload, each with its own HMAC key for GCS's S3-compatible API. The key's access ID and
# secret go to Secret Manager only (never to outputs); each workload may read its own two secrets and nothing else.
# The HMAC secret also sits in the Terraform state: keep the state in a private, access-controlled backend.

locals {
  # Secret name suffix → the StoreConfig key (environment form) the workload receives it as.
  s3_secrets = {
    access-key = "THINKDIFF_STORE_S3_ACCESS_KEY"
    secret-key = "THINKDIFF_STORE_S3_SECRET_KEY"
  }
  # "<workload>-<suffix>" → [workload, suffix]
  secrets = {
    for pair in setproduct(keys(var.identities), keys(local.s3_secrets)) : join("-", pair) => pair
  }
}

resource "google_service_account" "this" {
  for_each = var.identities

  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = each.value
}

resource "google_storage_hmac_key" "this" {
  for_each = var.identities

  project               = var.project_id
  service_account_email = google_service_account.this[each.key].email
}

resource "google_secret_manager_secret" "s3" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.key}"

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_version" "s3" {
  for_each = local.secrets

  secret      = google_secret_manager_secret.s3[each.key].id
  secret_data = each.value[1] == "access-key" ? google_storage_hmac_key.this[each.value[0]].access_id : google_storage_hmac_key.this[each.value[0]].secret
}

resource "google_secret_manager_secret_iam_member" "own" {
  for_each = local.secrets

  project   = var.project_id
  secret_id = google_secret_manager_secret.s3[each.key].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.this[each.value[0]].email}"
}
