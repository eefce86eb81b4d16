# ThinkDiff on Google Cloud: the three functions as Cloud Run GPU services, the models in GCS spoken to through its
# S3-compatible API, the A100 training VM template and the sharded CoBSAT benchmark as a Cloud Run job.

locals {
  # One identity per workload; each gets its own HMAC key, so what it can do through the S3 API is what its
  # service account may do.
  identities = {
    encode    = "ThinkDiff encode function"
    decode    = "ThinkDiff decode function"
    score     = "ThinkDiff score function"
    training  = "ThinkDiff training job"
    benchmark = "ThinkDiff CoBSAT benchmark job"
  }

  # The model store as the applications read it (dev.thinkdiff.store.StoreConfig), in the environment-variable form
  # of its keys. The credentials are not here: each workload gets its own from Secret Manager.
  store_env = {
    THINKDIFF_STORE_TYPE        = "s3"
    THINKDIFF_STORE_S3_BUCKET   = module.storage.models_bucket
    THINKDIFF_STORE_S3_ENDPOINT = "https://storage.googleapis.com"
    THINKDIFF_STORE_S3_REGION   = "auto"
    THINKDIFF_STORE_S3_PREFIX   = "models"
  }
}

module "registry" {
  source     = "./modules/registry"
  project_id = var.project_id
  region     = var.region
  name       = var.name_prefix
  readers    = { training = module.identities.members["training"] }
}

module "identities" {
  source      = "./modules/identities"
  project_id  = var.project_id
  name_prefix = var.name_prefix
  identities  = local.identities
}

module "storage" {
  source         = "./modules/storage"
  project_id     = var.project_id
  location       = var.region
  name_prefix    = var.name_prefix
  force_destroy  = !var.deletion_protection
  model_readers  = { for name in ["encode", "decode", "score", "benchmark"] : name => module.identities.members[name] }
  model_writer   = module.identities.members["training"]
  results_writer = module.identities.members["benchmark"]
  jobs_writers   = { for name in ["encode", "decode", "score"] : name => module.identities.members[name] }
}

module "function" {
  source   = "./modules/function-service"
  for_each = var.function_scaling

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-${each.key}"
  image                 = "${module.registry.url}/thinkdiff-${each.key}:${var.image_tag}"
  service_account_email = module.identities.emails[each.key]
  max_instances         = each.value.max_instances
  concurrency           = each.value.concurrency
  env                   = local.store_env
  jobs_location         = "s3://${module.storage.jobs_bucket}"
  secret_env            = module.identities.s3_secret_env[each.key]
  invoker_members       = var.invoker_members
  gpu_zonal_redundancy  = var.gpu_zonal_redundancy
  deletion_protection   = var.deletion_protection
}

module "training_job" {
  source                = "./modules/training-job"
  project_id            = var.project_id
  zone                  = var.training_zone
  name                  = "${var.name_prefix}-training"
  image                 = "${module.registry.url}/thinkdiff-training-job:${var.image_tag}"
  service_account_email = module.identities.emails["training"]
  env                   = local.store_env
  secret_env            = module.identities.s3_secret_env["training"]
  default_args          = var.training_args
  max_run_hours         = var.training_max_run_hours
}

module "benchmark_job" {
  source                = "./modules/benchmark-job"
  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-benchmark"
  image                 = "${module.registry.url}/thinkdiff-training-job:${var.image_tag}"
  service_account_email = module.identities.emails["benchmark"]
  shards                = var.benchmark_shards
  parallelism           = var.benchmark_parallelism
  args                  = concat(["evaluate", "cobsat", "--results", "s3://${module.storage.results_bucket}/cobsat"], var.benchmark_extra_args)
  env                   = local.store_env
  secret_env            = module.identities.s3_secret_env["benchmark"]
  invoker_members       = var.invoker_members
  gpu_zonal_redundancy  = var.gpu_zonal_redundancy
  deletion_protection   = var.deletion_protection
}
