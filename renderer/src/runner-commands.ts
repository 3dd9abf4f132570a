/** What an admin runs on a server to start a runner and to create a registration token (see docs/runners.md). */
export const serveCommand =
  'npm run runner -- serve --data-dir /var/lib/paddock-runner --listen 0.0.0.0:8443 --public-url https://runner.example.com:8443 --secret-store file';
/** For the admin's own workstation: the admin role, to set up repository access. */
export const registrationCommand = 'npm run runner -- registration create --data-dir /var/lib/paddock-runner --role admin';
