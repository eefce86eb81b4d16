variable "project_id" {
  type        = string
  description = "Project of the job."
}

variable "region" {
  type        = string
  description = "Cloud Run region (one with nvidia-l4 GPUs)."
}

variable "name" {
  type        = string
  description = "Job name."
}

variable "image" {
  type        = string
  description = "Full image reference of the training job's image (it holds the evaluate command)."
}

variable "service_account_email" {
  type        = string
  description = "The job's identity: reads the models, writes the results bucket."
}

variable "shards" {
  type        = number
  description = "Tasks per execution (task_count)."

  validation {
    condition     = var.shards >= 1 && var.shards <= 10000
    error_message = "shards must be 1-10000."
  }
}

variable "parallelism" {
  type        = number
  description = "Most tasks running at once; 0 for as many as Cloud Run allows."
}

variable "args" {
  type        = list(string)
  description = "Training-job CLI arguments of every shard, before the shard flags (e.g. evaluate cobsat --results s3://…)."

  validation {
    condition     = length(var.args) > 0
    error_message = "args must name a command."
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
  description = "IAM members allowed to start executions (roles/run.invoker)."

  validation {
    condition     = alltrue([for m in var.invoker_members : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "allUsers and allAuthenticatedUsers cannot run the benchmark."
  }
}

variable "gpu_zonal_redundancy" {
  type        = bool
  description = "Keep GPU capacity reserved in other zones for failover."
}

variable "deletion_protection" {
  type        = bool
  description = "Keep Terraform from deleting the job."
}
