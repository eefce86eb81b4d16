variable "project_id" {
  type        = string
  description = "Google Cloud project that holds everything."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Region of the Cloud Run services and job, the registry and the buckets. It must offer Cloud Run GPUs (nvidia-l4)."
  default     = "us-central1"

  validation {
    condition     = contains(["us-central1", "us-east4", "europe-west1", "europe-west4", "asia-southeast1"], var.region)
    error_message = "region must be one where Cloud Run offers nvidia-l4 GPUs: us-central1, us-east4, europe-west1, europe-west4 or asia-southeast1."
  }
}

variable "training_zone" {
  type        = string
  description = "Zone of the A100 (a2-highgpu-1g) training VM; it must be in var.region and offer A100 40GB GPUs."
  default     = "us-central1-a"
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (services, job, buckets, service accounts, secrets)."
  default     = "thinkdiff"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,12}$", var.name_prefix))
    error_message = "name_prefix must be 2-13 lowercase letters, digits or hyphens, starting with a letter (service account IDs are at most 30 characters)."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the four images pushed to the registry (thinkdiff-encode, thinkdiff-decode, thinkdiff-score, thinkdiff-training-job)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid container image tag."
  }
}

variable "invoker_members" {
  type        = list(string)
  description = "IAM members allowed to call the three functions and to run the benchmark job, e.g. user:ana@example.com or serviceAccount:ci@p.iam.gserviceaccount.com. Nobody else can invoke them."
  default     = []

  validation {
    condition     = alltrue([for m in var.invoker_members : can(regex("^(user|group|serviceAccount|domain|principal|principalSet):.+", m))])
    error_message = "invoker_members must be named IAM members (user:, group:, serviceAccount:, domain:, principal: or principalSet:); allUsers and allAuthenticatedUsers are refused."
  }
}

variable "function_scaling" {
  type = map(object({
    max_instances = number
    concurrency   = number
  }))
  description = "Per function: the most instances Cloud Run may start, and the requests one instance serves at once (the size of the function's predictor pool, passed to the app as well)."
  default = {
    encode = { max_instances = 3, concurrency = 4 }
    decode = { max_instances = 3, concurrency = 4 }
    score  = { max_instances = 2, concurrency = 8 }
  }

  validation {
    condition     = length(setsymmetricdifference(keys(var.function_scaling), ["encode", "decode", "score"])) == 0
    error_message = "function_scaling must have exactly the keys encode, decode and score."
  }
  validation {
    condition     = alltrue([for f in values(var.function_scaling) : f.max_instances >= 1 && f.max_instances <= 100 && f.concurrency >= 1 && f.concurrency <= 1000])
    error_message = "max_instances must be 1-100 and concurrency 1-1000."
  }
}

variable "gpu_zonal_redundancy" {
  type        = bool
  description = "Reserve GPU capacity in other zones for zonal failover (dearer per second). Off by default: a pay-per-use suite tolerates a zone outage."
  default     = false
}

variable "benchmark_shards" {
  type        = number
  description = "Number of tasks (shards) of one benchmark execution; each task evaluates its share of the CoBSAT prompts."
  default     = 10

  validation {
    condition     = var.benchmark_shards >= 1 && var.benchmark_shards <= 10000
    error_message = "benchmark_shards must be 1-10000 (Cloud Run's task_count limit)."
  }
}

variable "benchmark_parallelism" {
  type        = number
  description = "Most shards running at once (bounded by the project's L4 quota); 0 lets Cloud Run run as many as it can."
  default     = 5

  validation {
    condition     = var.benchmark_parallelism >= 0 && var.benchmark_parallelism <= var.benchmark_shards
    error_message = "benchmark_parallelism must be between 0 and benchmark_shards."
  }
}

variable "benchmark_extra_args" {
  type        = list(string)
  description = "Arguments appended to `evaluate cobsat` in every benchmark shard (e.g. [\"--shots\", \"2\"])."
  default     = []
}

variable "training_args" {
  type        = string
  description = "Default command line of the training container (the job's CLI arguments); a run can override it with the instance metadata key thinkdiff-args."
  default     = "train vlm"
}

variable "training_max_run_hours" {
  type        = number
  description = "A training VM is deleted after this many hours whatever it is doing: the cost ceiling of a forgotten run."
  default     = 12

  validation {
    condition     = var.training_max_run_hours >= 1 && var.training_max_run_hours <= 168
    error_message = "training_max_run_hours must be 1-168."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Keep Terraform from deleting the Cloud Run services and job (and the buckets' objects: force_destroy is its negation)."
  default     = true
}
