output "name" {
  description = "Job name (gcloud run jobs execute <name> --region <region>)."
  value       = google_cloud_run_v2_job.this.name
}
