package dev.rotor.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.manifest.NotifySpec;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Slack message for what the CLI tests do not reach: an emergency run outside Actions, and many units. */
class MessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEmergencyRunOutsideActionsWithoutEnvironmentsOrReason() throws Exception {
        JsonNode report = JSON.readTree("""
                {"command":"rotate","runId":"r-1","exitCode":0,"emergency":true,"units":[
                 {"secret":"jwt-keys","environment":"","outcome":"rotated","targets":[]},
                 {"secret":"db","environment":"","outcome":"not_due","targets":[]}]}""");
        assertEquals(Optional.of(NotifySpec.State.SUCCESS), Messages.state(report));
        assertEquals("{\"text\":\"Rotor rotate (emergency): success; 1 rotated, 1 not due\",\"blocks\":["
                + "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Rotor rotate (emergency): success\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"\u2022 `jwt-keys`: rotated\\n"
                + "\u2022 `db`: not due\"}},"
                + "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"Run r-1, exit code 0\"}]}]}",
                Messages.slack(report, NotifySpec.State.SUCCESS, Optional.empty()));
    }

    @Test
    void unitsBeyondOneSectionsLimitGoToTheNext() throws Exception {
        StringBuilder units = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            units.append(i == 0 ? "" : ",").append("{\"secret\":\"secret-number-").append(String.format("%03d", i))
                    .append("\",\"environment\":\"production\",\"outcome\":\"rotated\"}");
        }
        JsonNode report = JSON.readTree("{\"command\":\"rotate\",\"runId\":\"r\",\"exitCode\":0,\"units\":[" + units + "]}");
        JsonNode blocks = JSON.readTree(Messages.slack(report, NotifySpec.State.SUCCESS, Optional.empty())).get("blocks");
        // "• `secret-number-000` (production): rotated" is 43 characters: 68 lines (67 newlines) fit in 3000.
        assertEquals(4, blocks.size(), "header, two sections, context");
        assertEquals(68, blocks.get(1).at("/text/text").asText().lines().count());
        assertEquals(2991, blocks.get(1).at("/text/text").asText().length());
        assertEquals(52, blocks.get(2).at("/text/text").asText().lines().count());
    }

    @Test
    void aRunThatChangedNothingHasNoStateAndExitCodesNameTheOthers() throws Exception {
        assertEquals(Optional.empty(), Messages.state(JSON.readTree(
                "{\"exitCode\":0,\"units\":[{\"outcome\":\"already_done\"},{\"outcome\":\"not_due\"}]}")));
        assertEquals(Optional.of(NotifySpec.State.SUCCESS), Messages.state(JSON.readTree(
                "{\"exitCode\":0,\"units\":[{\"outcome\":\"rolled_back\"}]}")));
        assertEquals(Optional.of(NotifySpec.State.PARTIAL), Messages.state(JSON.readTree("{\"exitCode\":3,\"units\":[]}")));
        for (int exit : new int[] {1, 2, 4}) {
            assertEquals(Optional.of(NotifySpec.State.FAILURE), Messages.state(JSON.readTree(
                    "{\"exitCode\":" + exit + ",\"units\":[]}")));
        }
    }
}
