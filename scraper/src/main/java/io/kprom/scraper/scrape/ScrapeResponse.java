package io.kprom.scraper.scrape;

/**
 * A scrape body read into a buffer owned by the scrape loop ({@code body[0, length)} is valid until
 * the loop's next scrape), with its content type.
 */
public record ScrapeResponse(byte[] body, int length, String contentType) {
}
