/**
 * Whether the SDK's default chain has anything to find without asking the network: keys, a profile,
 * a web identity token or a container's credentials endpoint in the environment, or a shared config
 * or credentials file (AWS SDKs and Tools Reference Guide, "Standardized credential providers").
 * An instance's role (IMDS) is not seen from here: `npm run verify:aws -- --force` asks anyway.
 */
export function awsCredentialsPresent(env: Record<string, string | undefined>, sharedFilesExist: boolean): boolean {
  return (
    sharedFilesExist ||
    Boolean(
      env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
    )
  );
}
