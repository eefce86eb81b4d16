output "models_bucket" {
  description = "Name of the models bucket."
  value       = google_storage_bucket.models.name
}

output "results_bucket" {
  description = "Name of the benchmark results bucket."
  value       = google_storage_bucket.results.name
}

output "jobs_bucket" {
  description = "Name of the functions' async jobs bucket."
  value       = google_storage_bucket.jobs.name
}
