import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Puts what was built and verified in place: bootstraps, included files, zips, manifest.json, the build state. */
final class Installer {
    private Installer() {}

    /** A binary staged afresh: cargo's output, the staged bootstrap, and its staged zip (null without one). */
    private record Staged(Path output, Path bootstrap, Path zip) {}

    /**
     * Binaries, included files, zips and the manifest staged next to their places, sizes checked, then all renamed
     * into place; included files an earlier build copied and this one does not are removed after that.
     */
    /** The rows of the report; unchanged: this build left the lambda folder's content as it found it (a no-op). */
    record Installed(List<Report.Row> rows, boolean unchanged) {}

    static Installed install(PipelineContext c, BuildConfig cfg, List<Verification.Built> built, Map<String, BuildState.Entry> before, long maxSize,
                                    ToolVersions tools, String buildRecord, UnaryOperator<List<String>> metadata) {
        Path lambdaDir = cfg.lambdaDir();
        boolean severalArches = cfg.targets().size() > 1;
        List<Report.Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String epoch = c.env().get("SOURCE_DATE_EPOCH");
        Map<String, BuildState.Entry> after = new HashMap<>(before);
        // Staged files keep their inode and mtime through the rename: their identities are recorded once all are in place.
        Map<String, Staged> staged = new java.util.LinkedHashMap<>();
        Map<String, List<String>> copied = new HashMap<>();
        boolean changed = false;
        Map<String, String> zipEntryOf = new HashMap<>(), cpuOf = new HashMap<>();
        Sbom.Writer sboms = new Sbom.Writer(c.env(), metadata, built.stream().map(b -> b.plan().target().cargoTriple).distinct().toList());
        try (Install.Staging staging = new Install.Staging()) {
            for (Verification.Built b : built) {
                BuildConfig.Packaged p = b.packaged();
                String name = p.function().name();
                Layout.Place place = Layout.of(lambdaDir, severalArches, b.plan().target(), name, p.kind(), p.internal());
                Path dest = place.binary(), zipDest = place.zip();
                String key = lambdaDir.relativize(dest).toString();
                zipEntryOf.put(key, place.entry());
                if (b.cpuChecked() != null) cpuOf.put(key, b.cpuChecked());
                BuildState.Entry prev = before.get(key);
                Report.Row row;
                if (prev != null && prev.sha256() != null && p.included().isEmpty() && prev.included().isEmpty()
                        && prev.stillInstalled(b.output(), dest, zipDest, p.zip(), epoch, place.entry())) {
                    // cargo changed nothing and nobody touched what was installed: keep it as it is.
                    Report.Zip zip = p.zip() ? new Report.Zip(zipDest, prev.zip().size(), prev.zipSha256()) : null;
                    // Its SBOM too, unless it went missing since: then it is written again.
                    Path sbomFile = Sbom.fileFor(dest);
                    boolean sbomThere = Files.isRegularFile(sbomFile);
                    Sbom.Ref sbom = b.info().depList == null ? null : sbomThere ? new Sbom.Ref(sbomFile, sha256(sbomFile))
                            : sboms.stage(staging, b.plan().workspace(), b.output(), b.info(), dest, prev.sha256());
                    if (sbom == null ? sbomThere : !sbomThere) changed = true;
                    row = new Report.Row(p, b.plan().target(), dest, b.info(), prev.sha256(), zip, List.of(), null, sbom);
                    if (!java.util.Objects.equals(prev.cpu(), b.cpuChecked())) {
                        after.put(key, prev.withCpu(b.cpuChecked()));
                        changed = true;
                    }
                } else {
                    Fresh f = stageFresh(staging, b, place, lambdaDir, epoch, sboms);
                    row = f.row();
                    copied.put(key, f.copied());
                    staged.put(key, new Staged(b.output(), f.bootstrap(), f.zip()));
                }
                SizeLimits.Verdict size = SizeLimits.judge(name, b.info().size, row.zipSize(), maxSize);
                size.warnings().forEach(c::warn);
                failures.addAll(size.failures());
                rows.add(row);
            }
            if (!failures.isEmpty()) throw Pipeline.rejected(failures, "are too large", lambdaDir);
            // Nothing installed afresh (a no-op build): the manifest's recorded tool versions still describe what is in place.
            changed |= stageManifest(staging, lambdaDir, rows, staged.isEmpty() ? tools.forUnchanged(lambdaDir) : tools.get(), buildRecord);
            changed |= !staged.isEmpty();
            for (Report.Row r : rows) {
                String key = lambdaDir.relativize(r.bootstrap()).toString();
                Staged s = staged.get(key);
                if (s == null) continue;
                after.put(key, new BuildState.Entry(BuildState.Identity.of(s.output()), BuildState.Identity.of(s.bootstrap()), r.sha256(),
                        s.zip() == null ? null : BuildState.Identity.of(s.zip()), r.zip() == null ? null : r.zip().sha256(), epoch,
                        zipEntryOf.get(key), copied.getOrDefault(key, List.of()), cpuOf.get(key)));
            }
            String state = BuildState.render(after);
            // A file whose content is already there is left as it is: a no-op build writes nothing.
            if (!sameText(lambdaDir.resolve(BuildState.FILE), state)) {
                changed = true;
                staging.stage(lambdaDir.resolve(BuildState.FILE), tmp -> Files.writeString(tmp, state));
            }
            staging.commit();
        }
        // A binary built without a dependency list (--no-sbom, no cargo-auditable) keeps no SBOM of an older build.
        for (Report.Row r : rows) {
            if (r.sbom() == null) Install.deleteQuietly(Sbom.fileFor(r.bootstrap()));
        }
        for (Map.Entry<String, List<String>> now : copied.entrySet()) {
            BuildState.Entry prev = before.get(now.getKey());
            if (prev == null) continue;
            for (String old : prev.included()) {
                if (!now.getValue().contains(old)) Install.deleteQuietly(lambdaDir.resolve(old));
            }
        }
        return new Installed(rows, !changed);
    }

    private static boolean sameText(Path file, String text) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).equals(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** What stageFresh staged: the row, the staged bootstrap and zip (null without one), the files copied next to it. */
    private record Fresh(Report.Row row, Path bootstrap, Path zip, List<String> copied) {}

    /** One binary staged afresh: itself (0755), a function's included files next to it, and its zip. */
    private static Fresh stageFresh(Install.Staging staging, Verification.Built b, Layout.Place place, Path lambdaDir, String epoch,
                                    Sbom.Writer sboms) {
        BuildConfig.Packaged p = b.packaged();
        Path boot = staging.stageExecutable(b.output(), place.binary());
        List<String> copied = new ArrayList<>();
        if (place.folder() != null) {
            for (LambdaZip.Entry e : p.included()) {
                Path to = place.folder().resolve(e.name());
                if (e.isFolder()) {
                    Install.createFolder(to);
                } else {
                    staging.stageCopy(e.source(), to, e.executable());
                    copied.add(lambdaDir.relativize(to).toString());
                }
            }
        }
        Report.Zip zip = null;
        Path zipTmp = null;
        if (p.zip()) {
            List<LambdaZip.Entry> entries = new ArrayList<>(p.included());
            entries.add(new LambdaZip.Entry(place.entry(), boot, true));
            int slash = place.entry().lastIndexOf('/');
            if (slash > 0) entries.add(LambdaZip.Entry.folder(place.entry().substring(0, slash)));
            zipTmp = staging.stage(place.zip(), tmp -> LambdaZip.write(entries.stream().distinct().toList(), tmp, epoch));
            zip = new Report.Zip(place.zip(), zipTmp.toFile().length(), sha256(zipTmp));
        }
        List<String> included = p.included().stream().filter(e -> !e.isFolder()).map(LambdaZip.Entry::name).toList();
        String sha = sha256(boot);
        Sbom.Ref sbom = sboms.stage(staging, b.plan().workspace(), b.output(), b.info(), place.binary(), sha);
        Report.Row row = new Report.Row(p, b.plan().target(), place.binary(), b.info(), sha, zip, included, null, sbom);
        return new Fresh(row, boot, zipTmp, copied);
    }

    /**
     * manifest.json: this build's rows, and the entries of binaries not built now that are still in place; staged
     * only when that differs from the one in place (returns whether it was).
     */
    static boolean stageManifest(Install.Staging staging, Path lambdaDir, List<Report.Row> rows, Map<String, String> versions, String buildRecord) {
        Manifest.Entries kept = Manifest.kept(lambdaDir, rows.stream().map(r -> lambdaDir.relativize(r.bootstrap()).toString()).collect(Collectors.toSet()),
                rows.stream().filter(r -> !r.isExtension()).map(r -> r.function().name()).collect(Collectors.toSet()),
                rows.stream().filter(Report.Row::isExtension).map(r -> r.function().name()).collect(Collectors.toSet()));
        List<String> functions = new ArrayList<>(), extensions = new ArrayList<>();
        for (Report.Row r : rows) (r.packaged().kind() == Layout.Kind.FUNCTION ? functions : extensions).add(r.toJson(lambdaDir));
        functions.addAll(kept.functions());
        extensions.addAll(kept.extensions());
        String manifest = Manifest.render(functions, extensions, versions, buildRecord);
        if (sameText(lambdaDir.resolve(Manifest.FILE), manifest)) return false;
        staging.stage(lambdaDir.resolve(Manifest.FILE), tmp -> Files.writeString(tmp, manifest));
        return true;
    }

    static String sha256(Path file) {
        try {
            return Manifest.sha256(file);
        } catch (IOException e) {
            throw new Cli.UserError(ExitCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
