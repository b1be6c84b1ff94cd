import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Watches each package's folder (every subfolder, target/ and hidden ones left out) with the platform's
 * file watcher, and reports which packages changed: onEvent at once for each change (the gateway holds that
 * package's requests from then on), and onChange once per burst of changes (an editor's save is several events),
 * after QUIET_MS of quiet.
 */
final class Watcher implements AutoCloseable {
    private final WatchService service;
    private final Map<WatchKey, String> owners = new HashMap<>();
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Thread thread;
    private final Consumer<String> onEvent;
    /** How long a burst of changes must be quiet before onChange. */
    static final long QUIET_MS = 150;

    Watcher(Map<String, Path> packageDirs, Consumer<Set<String>> onChange) throws IOException {
        this(packageDirs, pkg -> {}, onChange);
    }

    Watcher(Map<String, Path> packageDirs, Consumer<String> onEvent, Consumer<Set<String>> onChange) throws IOException {
        this.onEvent = onEvent;
        service = FileSystems.getDefault().newWatchService();
        for (Map.Entry<String, Path> e : packageDirs.entrySet()) registerTree(e.getKey(), e.getValue());
        thread = new Thread(() -> loop(onChange), "watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void registerTree(String pkg, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path d : (Iterable<Path>) s.filter(Files::isDirectory).filter(d -> watched(dir.relativize(d)))::iterator) {
                WatchKey k = d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
                owners.putIfAbsent(k, pkg);
                dirs.put(k, d);
            }
        }
    }

    /** rel: a folder relative to its package's folder. */
    private static boolean watched(Path rel) {
        for (Path part : rel) {
            String n = part.toString();
            if (n.equals("target") || (n.startsWith(".") && n.length() > 1)) return false;
        }
        return true;
    }

    private void loop(Consumer<Set<String>> onChange) {
        try {
            while (true) {
                WatchKey k = service.take();
                Set<String> changed = new LinkedHashSet<>();
                for (; k != null; k = service.poll(QUIET_MS, TimeUnit.MILLISECONDS)) {
                    String pkg = owners.get(k);
                    for (var ev : k.pollEvents()) {
                        Path child = dirs.get(k).resolve((Path) ev.context());
                        if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)
                                && watched(dirs.get(k).relativize(child))) {
                            try {
                                registerTree(pkg, child);
                            } catch (IOException ignored) {
                                // gone again already
                            }
                        }
                        if (pkg != null && changed.add(pkg)) onEvent.accept(pkg);
                    }
                    k.reset();
                }
                if (!changed.isEmpty()) onChange.accept(changed);
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // closing
        }
        thread.interrupt();
    }
}
