package io.citypulse.testutils;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository root (set by the build as {@code citypulse.repo.root}). */
public final class RepoPaths {

    private RepoPaths() {}

    public static Path root() {
        String prop = System.getProperty("citypulse.repo.root");
        Path start = Path.of(prop != null ? prop : "").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sql")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + start);
    }
}
