terraform {
  # 1.9: variable validations may refer to other variables.
  required_version = ">= 1.9"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.47 added gpu_zonal_redundancy_disabled to google_cloud_run_v2_job.
      version = ">= 6.47.0, < 8.0.0"
    }
  }
}
