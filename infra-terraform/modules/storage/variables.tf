variable "project_id" {
  type        = string
  description = "Project of the buckets; also the first part of their globally unique names."
}

variable "location" {
  type        = string
  description = "Bucket location (the services' region keeps reads fast and free of egress charges)."
}

variable "name_prefix" {
  type        = string
  description = "Middle part of the bucket names: <project>-<name_prefix>-models and -results."
}

variable "force_destroy" {
  type        = bool
  description = "Let Terraform delete the buckets with their objects."
}

variable "model_readers" {
  type        = map(string)
  description = "Workload name → IAM member that may read the models (roles/storage.objectViewer)."
}

variable "model_writer" {
  type        = string
  description = "The one IAM member that may publish models (roles/storage.objectAdmin): the training job's identity."

  validation {
    condition     = startswith(var.model_writer, "serviceAccount:")
    error_message = "model_writer must be a service account member."
  }
}

variable "results_writer" {
  type        = string
  description = "IAM member that writes benchmark results to the results bucket (roles/storage.objectUser)."

  validation {
    condition     = startswith(var.results_writer, "serviceAccount:")
    error_message = "results_writer must be a service account member."
  }
}

variable "jobs_writers" {
  type        = map(string)
  description = "Function name → IAM member that reads and writes the async jobs bucket (roles/storage.objectUser)."
}

variable "jobs_retention_days" {
  type        = number
  default     = 7
  description = "Days an async job's objects are kept in the jobs bucket."
}
