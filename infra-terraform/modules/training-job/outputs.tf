output "instance_template" {
  description = "Self link of the instance template (gcloud compute instances create --source-instance-template=…)."
  value       = google_compute_instance_template.this.self_link
}
