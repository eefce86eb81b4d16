# Two private buckets. The models bucket holds the model store (models/{family}/{component}/{version}/ + LATEST); only
# the training job's identity writes it. The benchmark's results go to a bucket of their own, so that the benchmark's
# write access cannot touch a model: a separate bucket rather than an IAM condition on a prefix, because conditions
# on object names do not restrict listing and are easy to widen by mistake.

resource "google_storage_bucket" "models" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-models"
  location                    = var.location
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  # A published version is never rewritten; keeping noncurrent copies for a while undoes an accidental overwrite.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "results" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-results"
  location                    = var.location
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

# The functions' async jobs (dev.thinkdiff.serving.JobService: records, request bodies and answers, idempotency keys,
# instance marks), in a bucket of their own so that the functions' write access cannot touch a model; a job is
# deleted jobs_retention_days after it was written.
resource "google_storage_bucket" "jobs" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-jobs"
  location                    = var.location
  force_destroy               = var.force_destroy
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  lifecycle_rule {
    condition {
      age = var.jobs_retention_days
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_iam_member" "model_reader" {
  for_each = var.model_readers

  bucket = google_storage_bucket.models.name
  role   = "roles/storage.objectViewer"
  member = each.value
}

resource "google_storage_bucket_iam_member" "model_writer" {
  bucket = google_storage_bucket.models.name
  role   = "roles/storage.objectAdmin"
  member = var.model_writer
}

# Shards create their result objects and may overwrite them when Cloud Run retries a task: objectUser (read, create,
# overwrite, delete objects; no IAM or bucket settings).
resource "google_storage_bucket_iam_member" "results_writer" {
  bucket = google_storage_bucket.results.name
  role   = "roles/storage.objectUser"
  member = var.results_writer
}

# Every instance of a function writes and rewrites job records (any instance may answer a poll or a cancel).
resource "google_storage_bucket_iam_member" "jobs_writer" {
  for_each = var.jobs_writers

  bucket = google_storage_bucket.jobs.name
  role   = "roles/storage.objectUser"
  member = each.value
}
