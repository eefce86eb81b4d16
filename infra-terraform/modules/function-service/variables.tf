variable "project_id" {
  type        = string
  description = "Project of the service."
}

variable "region" {
  type        = string
  description = "Cloud Run region (one with nvidia-l4 GPUs)."
}

variable "name" {
  type        = string
  description = "Service name."
}

variable "image" {
  type        = string
  description = "Full image reference of the function (registry/thinkdiff-<function>:<tag>)."
}

variable "service_account_email" {
  type        = string
  description = "The service's own identity (reads the models and its own S3 credentials, nothing else)."
}

variable "max_instances" {
  type        = number
  description = "Most instances Cloud Run may run at once (each holds one L4 while it lives)."

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 100
    error_message = "max_instances must be 1-100."
  }
}

variable "concurrency" {
  type        = number
  description = "Requests one instance serves at once; also the app's predictor pool size."

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be 1-1000."
  }
}

variable "env" {
  type        = map(string)
  description = "Plain environment of the app (configuration keys in environment form, no credentials)."
}

variable "secret_env" {
  type        = map(string)
  description = "Environment variable → Secret Manager secret ID; the value is read from the secret's latest version."
}

variable "invoker_members" {
  type        = list(string)
  description = "IAM members granted roles/run.invoker on this service."

  validation {
    condition     = alltrue([for m in var.invoker_members : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "The functions are private: allUsers and allAuthenticatedUsers cannot invoke them."
  }
}

variable "gpu_zonal_redundancy" {
  type        = bool
  description = "Keep GPU capacity reserved in other zones for failover."
}

variable "deletion_protection" {
  type        = bool
  description = "Keep Terraform from deleting the service."
}

variable "jobs_location" {
  type        = string
  description = "Where the function keeps its async jobs: s3://<jobs bucket>[/prefix] on the store's S3 endpoint."
}
