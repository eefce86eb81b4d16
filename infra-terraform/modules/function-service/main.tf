# One ThinkDiff function as a Cloud Run GPU service: one NVIDIA L4 with the minimum the platform requires for a GPU
# (4 CPU, 16 GiB, CPU always allocated, second-generation environment), scaled to zero when idle, callable only by
# the named invoker members.

locals {
  # Cloud Run sends requests and probes to this port; the app is told to listen on it (QUARKUS_HTTP_PORT), whatever
  # its local default (encode 8081, decode 8082, score 8083).
  port = 8080
}

resource "google_cloud_run_v2_service" "this" {
  project             = var.project_id
  name                = var.name
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL"
  deletion_protection = var.deletion_protection
  # Every request must carry an identity token of a member with roles/run.invoker.
  invoker_iam_disabled = false

  template {
    service_account                  = var.service_account_email
    execution_environment            = "EXECUTION_ENVIRONMENT_GEN2"
    max_instance_request_concurrency = var.concurrency
    timeout                          = "300s"
    gpu_zonal_redundancy_disabled    = !var.gpu_zonal_redundancy

    scaling {
      min_instance_count = 0
      max_instance_count = var.max_instances
    }

    node_selector {
      accelerator = "nvidia-l4"
    }

    containers {
      image = var.image

      ports {
        container_port = local.port
      }

      resources {
        limits = {
          cpu              = "4"
          memory           = "16Gi"
          "nvidia.com/gpu" = "1"
        }
        cpu_idle          = false
        startup_cpu_boost = true
      }

      env {
        name  = "QUARKUS_HTTP_PORT"
        value = tostring(local.port)
      }

      # Async jobs in the object store, so that any instance answers a poll (functions/README.md).
      env {
        name  = "THINKDIFF_SERVING_JOBS_LOCATION"
        value = var.jobs_location
      }

      # Requests one instance serves at once = the size of the function's predictor pool.
      env {
        name  = "THINKDIFF_SERVING_POOL_WORKERS"
        value = tostring(var.concurrency)
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

      # Ready once the models are fetched, verified and loaded (a model failing verification keeps it not ready);
      # up to 240 s for a cold start.
      startup_probe {
        initial_delay_seconds = 5
        period_seconds        = 5
        timeout_seconds       = 3
        failure_threshold     = 47
        http_get {
          path = "/q/health/ready"
          port = local.port
        }
      }

      liveness_probe {
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
        http_get {
          path = "/q/health/live"
          port = local.port
        }
      }
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  for_each = toset(var.invoker_members)

  project  = var.project_id
  location = google_cloud_run_v2_service.this.location
  name     = google_cloud_run_v2_service.this.name
  role     = "roles/run.invoker"
  member   = each.value
}
