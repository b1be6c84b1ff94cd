import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A real engine for the real docker client: podman's Docker-compatible API service (rootful), on a
 * socket of its own, started once per run and stopped when the tests end. The socket is open to every
 * user, as the docker group makes the Docker daemon's, so a non-root caller can build through it.
 */
final class ContainerService {
    private static String host;
    private static Process service;

    private ContainerService() {}

    /** DOCKER_HOST for the docker client. */
    static synchronized String dockerHost() {
        if (host != null) return host;
        try {
            Path dir = Files.createTempDirectory("bl-engine-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path sock = dir.resolve("podman.sock");
            ProcessBuilder pb = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + sock)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile());
            pb.environment().putAll(ContainerImage.env());
            service = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> service.destroy()));
            String h = "unix://" + sock;
            for (int i = 0; i < 100 && !Files.exists(sock); i++) Thread.sleep(100);
            if (!Files.exists(sock)) throw new AssertionError("podman system service made no socket: " + Files.readString(dir.resolve("service.log")));
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
            Proc info = Proc.run(Repo.ROOT, Map.of("DOCKER_HOST", h), List.of("docker", "info", "--format", "{{.ServerVersion}}"), 60);
            if (info.exit != 0) throw new AssertionError("the docker client cannot reach podman's service: " + info);
            host = h;
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
