# An example environment: one project, the defaults of the root module, state in a GCS bucket of your own.
# Copy this folder, fill terraform.tfvars from terraform.tfvars.example, and set the backend bucket.

terraform {
  required_version = ">= 1.9"

  backend "gcs" {
    # The state holds the HMAC secrets: keep it in a private bucket with uniform access and versioning.
    prefix = "thinkdiff/example"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

module "thinkdiff" {
  source = "../.."

  project_id       = var.project_id
  region           = var.region
  training_zone    = var.training_zone
  image_tag        = var.image_tag
  invoker_members  = var.invoker_members
  function_scaling = var.function_scaling
}

output "function_urls" {
  description = "URL of each function."
  value       = module.thinkdiff.function_urls
}

output "models_bucket" {
  description = "Bucket of the model store."
  value       = module.thinkdiff.models_bucket
}

output "results_bucket" {
  description = "Bucket of the benchmark results."
  value       = module.thinkdiff.results_bucket
}

output "service_accounts" {
  description = "Service account of each workload."
  value       = module.thinkdiff.service_accounts
}

output "registry_url" {
  description = "Where to push the images."
  value       = module.thinkdiff.registry_url
}

output "training_instance_template" {
  description = "Template of the A100 training VM."
  value       = module.thinkdiff.training_instance_template
}

output "benchmark_job" {
  description = "Cloud Run job of the sharded benchmark."
  value       = module.thinkdiff.benchmark_job
}
