# The CoBSAT benchmark as a Cloud Run job: one execution runs `shards` tasks (at most `parallelism` at once), each on
# an L4. Cloud Run gives every task CLOUD_RUN_TASK_INDEX and CLOUD_RUN_TASK_COUNT; Cloud Run does not expand
# variables in args, so a shell passes them to the training job's CLI as --shard-index / --shard-count after the
# configured arguments. Each shard writes its results to the results bucket.

resource "google_cloud_run_v2_job" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  deletion_protection = var.deletion_protection

  template {
    task_count  = var.shards
    parallelism = var.parallelism

    template {
      service_account               = var.service_account_email
      execution_environment         = "EXECUTION_ENVIRONMENT_GEN2"
      timeout                       = "3600s"
      max_retries                   = 1
      gpu_zonal_redundancy_disabled = !var.gpu_zonal_redundancy

      node_selector {
        accelerator = "nvidia-l4"
      }

      containers {
        image = var.image
        # The image's ENTRYPOINT (java -jar /app/quarkus-run.jar) with the shard flags appended; JVM options come
        # from the image's JAVA_TOOL_OPTIONS, so the shell does not repeat them.
        command = ["/bin/sh", "-c", "exec java -jar /app/quarkus-run.jar \"$@\" --shard-index \"$CLOUD_RUN_TASK_INDEX\" --shard-count \"$CLOUD_RUN_TASK_COUNT\"", "benchmark"]
        args    = var.args

        resources {
          limits = {
            cpu              = "4"
            memory           = "16Gi"
            "nvidia.com/gpu" = "1"
          }
        }

        dynamic "env" {
          for_each = var.env
          content {
            name  = env.key
            value = env.value
          }
        }

        dynamic "env" {
          for_each = var.secret_env
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = env.value
                version = "latest"
              }
            }
          }
        }
      }
    }
  }
}

# roles/run.invoker on a job lets its members start executions (gcloud run jobs execute).
resource "google_cloud_run_v2_job_iam_member" "invoker" {
  for_each = toset(var.invoker_members)

  project  = var.project_id
  location = google_cloud_run_v2_job.this.location
  name     = google_cloud_run_v2_job.this.name
  role     = "roles/run.invoker"
  member   = each.value
}
