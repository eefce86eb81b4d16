variable "project_id" {
  type        = string
  description = "Project of the instance template."
}

variable "zone" {
  type        = string
  description = "Zone the training VMs are created in (one with A100 40GB GPUs); the template is regional in its region."

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+-[a-z]$", var.zone))
    error_message = "zone must be a zone name such as us-central1-a."
  }
}

variable "name" {
  type        = string
  description = "Prefix of the template name."
}

variable "image" {
  type        = string
  description = "Full image reference of the training job (registry/thinkdiff-training-job:<tag>)."
}

variable "service_account_email" {
  type        = string
  description = "The training job's identity: the one writer of the models bucket."
}

variable "env" {
  type        = map(string)
  description = "Plain environment of the container (configuration keys in environment form, no credentials)."
}

variable "secret_env" {
  type        = map(string)
  description = "Environment variable → Secret Manager secret ID, read by the VM at boot."
}

variable "default_args" {
  type        = string
  description = "Command line of the container when the instance sets no thinkdiff-args metadata."
}

variable "max_run_hours" {
  type        = number
  description = "Hours after which a training VM is deleted."
}

variable "disk_size_gb" {
  type        = number
  description = "Boot disk size: the image (CUDA libtorch is a few GB) plus run directories and the model cache."
  default     = 100

  validation {
    condition     = var.disk_size_gb >= 30
    error_message = "disk_size_gb must be at least 30."
  }
}

variable "network" {
  type        = string
  description = "VPC network of the training VMs; it needs a route to the internet (the VM has an ephemeral external address)."
  default     = "default"
}
