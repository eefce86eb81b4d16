# The training job on an A100: an instance template for an a2-highgpu-1g VM (one A100 40GB) on Container-Optimized
# OS. A run is an instance created from the template; at boot the VM installs the NVIDIA driver, pulls the training
# image, reads its S3 credentials from Secret Manager, runs the container with the command line from the instance
# metadata (thinkdiff-args, else the template's default) and powers off when the container exits. The instance is
# deleted after max_run_hours whatever happens.
#
# Why a VM template and not Cloud Batch or GKE: a Batch job is a run, not infrastructure (the Google provider has no
# Batch job resource, and a job is submitted per run anyway), and a GKE A100 node pool costs a cluster fee while idle.
# A template costs nothing until a run starts, and a run is one gcloud command.

resource "google_compute_instance_template" "this" {
  project      = var.project_id
  name_prefix  = "${var.name}-"
  description  = "ThinkDiff training job on one A100"
  machine_type = "a2-highgpu-1g"
  region       = local.region

  disk {
    boot         = true
    auto_delete  = true
    source_image = "cos-cloud/cos-stable"
    disk_type    = "pd-balanced"
    disk_size_gb = var.disk_size_gb
  }

  network_interface {
    network = var.network
    # An ephemeral external address to reach the registry, GCS and Secret Manager without a NAT gateway.
    access_config {}
  }

  service_account {
    email  = var.service_account_email
    scopes = ["cloud-platform"]
  }

  scheduling {
    # GPU VMs cannot live-migrate.
    on_host_maintenance         = "TERMINATE"
    automatic_restart           = false
    provisioning_model          = "STANDARD"
    instance_termination_action = "DELETE"
    max_run_duration {
      seconds = var.max_run_hours * 3600
    }
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_integrity_monitoring = true
  }

  metadata = {
    google-logging-enabled = "true"
    enable-oslogin         = "TRUE"
    thinkdiff-args         = var.default_args
    startup-script = templatefile("${path.module}/startup.sh.tftpl", {
      image      = var.image
      registry   = split("/", var.image)[0]
      project_id = var.project_id
      env        = var.env
      secret_env = var.secret_env
    })
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Container-Optimized OS ships the container's output to Cloud Logging with the VM's identity.
resource "google_project_iam_member" "log_writer" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${var.service_account_email}"
}

locals {
  # The template is regional in the zone's region, so instances of other regions cannot pick it by mistake.
  region = join("-", slice(split("-", var.zone), 0, 2))
}
