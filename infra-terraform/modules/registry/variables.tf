variable "project_id" {
  type        = string
  description = "Project of the repository."
}

variable "region" {
  type        = string
  description = "Location of the repository (the same region as the services keeps pulls fast and free)."
}

variable "name" {
  type        = string
  description = "Repository ID."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "readers" {
  type        = map(string)
  description = "IAM members that pull images outside Cloud Run (the training VM's service account), by a name known at plan time."
}
