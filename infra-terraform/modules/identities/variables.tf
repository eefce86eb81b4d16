variable "project_id" {
  type        = string
  description = "Project of the service accounts and secrets."
}

variable "name_prefix" {
  type        = string
  description = "Prefix of the service account IDs and secret names."
}

variable "identities" {
  type        = map(string)
  description = "Workload name → display name of its service account; the account ID is <name_prefix>-<workload name>."

  validation {
    condition     = alltrue([for name in keys(var.identities) : can(regex("^[a-z][a-z0-9-]{1,15}$", name))])
    error_message = "Workload names must be 2-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}
