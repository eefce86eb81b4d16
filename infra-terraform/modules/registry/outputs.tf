output "url" {
  description = "Image name prefix: <region>-docker.pkg.dev/<project>/<repository>."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}
