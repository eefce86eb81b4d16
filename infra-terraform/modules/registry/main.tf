# The Docker repository of the four images (thinkdiff-encode, -decode, -score, -training-job). Cloud Run pulls with
# its own service agent; the training VM pulls with its service account, which the readers list names.

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = var.name
  format        = "DOCKER"
  description   = "ThinkDiff container images"
}

resource "google_artifact_registry_repository_iam_member" "reader" {
  for_each = var.readers

  project    = var.project_id
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = each.value
}
