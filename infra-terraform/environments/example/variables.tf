variable "project_id" {
  type        = string
  description = "Google Cloud project to deploy into."
}

variable "region" {
  type        = string
  description = "Region with Cloud Run L4 GPUs."
  default     = "us-central1"
}

variable "training_zone" {
  type        = string
  description = "Zone with A100 GPUs in the region."
  default     = "us-central1-a"
}

variable "image_tag" {
  type        = string
  description = "Tag of the pushed images."
}

variable "invoker_members" {
  type        = list(string)
  description = "Who may call the functions and run the benchmark."
}

variable "function_scaling" {
  type = map(object({
    max_instances = number
    concurrency   = number
  }))
  description = "Per function: max instances and per-instance concurrency."
  default = {
    encode = { max_instances = 1, concurrency = 4 }
    decode = { max_instances = 1, concurrency = 4 }
    score  = { max_instances = 1, concurrency = 8 }
  }
}
