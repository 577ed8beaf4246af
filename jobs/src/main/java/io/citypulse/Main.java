package io.citypulse;

/** Placeholder entry point; replaced by the job dispatcher. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("CityPulse");
    }
}
