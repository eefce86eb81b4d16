output "function_urls" {
  description = "URL of each function service (encode, decode, score); callers need an identity token of an invoker member."
  value       = { for name, f in module.function : name => f.url }
}

output "models_bucket" {
  description = "Bucket of the model store (objects under models/); the training job alone writes it."
  value       = module.storage.models_bucket
}

output "results_bucket" {
  description = "Bucket the benchmark shards write their results to."
  value       = module.storage.results_bucket
}

output "service_accounts" {
  description = "E-mail of each workload's service account."
  value       = module.identities.emails
}

output "registry_url" {
  description = "Artifact Registry prefix to push the images to (<registry_url>/thinkdiff-encode:<tag>, …)."
  value       = module.registry.url
}

output "training_instance_template" {
  description = "Instance template of the A100 training VM (create an instance from it to run a training)."
  value       = module.training_job.instance_template
}

output "benchmark_job" {
  description = "Name of the Cloud Run job that runs the sharded CoBSAT benchmark."
  value       = module.benchmark_job.name
}
