output "emails" {
  description = "Workload name → service account e-mail."
  value       = { for name, sa in google_service_account.this : name => sa.email }
}

output "members" {
  description = "Workload name → IAM member (serviceAccount:<e-mail>)."
  value       = { for name, sa in google_service_account.this : name => format("serviceAccount:%s", sa.email) }
}

output "s3_secret_env" {
  description = "Workload name → {environment variable → Secret Manager secret ID} of its S3 credentials (names, not values)."
  value = {
    for name in keys(var.identities) : name => zipmap(values(local.s3_secrets), [for suffix in keys(local.s3_secrets) : google_secret_manager_secret.s3[join("-", [name, suffix])].secret_id])
  }
  # The secret versions must exist before a workload starts reading "latest".
  depends_on = [google_secret_manager_secret_version.s3, google_secret_manager_secret_iam_member.own]
}
