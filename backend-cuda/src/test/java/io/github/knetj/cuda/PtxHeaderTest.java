package io.github.knetj.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ISA header rewriting that lets CUDA 12 drivers load the PTX nvcc 13 writes. */
class PtxHeaderTest {
    private static final String PTX = "// knetj-min-isa: 8.0\n//\n.version 9.0\n.target sm_75\n.address_size 64\n.visible .entry k()\n{\n ret;\n}\n";

    @Test
    void readsVersions() {
        assertEquals(90, PtxHeader.isa(PTX, "t.ptx"));
        assertEquals(80, PtxHeader.minIsa(PTX, "t.ptx"));
        assertEquals(90, PtxHeader.minIsa(PTX.replace("// knetj-min-isa: 8.0\n", ""), "t.ptx"), "no min-isa line: the header's own ISA");
        assertThrows(IllegalStateException.class, () -> PtxHeader.isa("not ptx", "t.ptx"));
    }

    @Test
    void driverTable() {
        assertEquals(0, PtxHeader.maxIsaForDriver(11080));
        assertEquals(80, PtxHeader.maxIsaForDriver(12000));
        assertEquals(84, PtxHeader.maxIsaForDriver(12040));
        assertEquals(85, PtxHeader.maxIsaForDriver(12060));
        assertEquals(88, PtxHeader.maxIsaForDriver(12090));
        assertEquals(90, PtxHeader.maxIsaForDriver(13000));
        assertEquals(90, PtxHeader.maxIsaForDriver(13020));
        assertEquals("12.4", PtxHeader.cudaVersion(12040));
    }

    @Test
    void aNewDriverLoadsThePtxAsItIs() {
        assertSame(PTX, PtxHeader.forDriver(PTX, 13000, "t.ptx"));
    }

    @Test
    void aCuda12DriverGetsTheLoweredHeader() {
        String low = PtxHeader.forDriver(PTX, 12040, "t.ptx");
        assertEquals(PTX.replace(".version 9.0\n", ".version 8.0\n"), low);
        assertEquals(80, PtxHeader.isa(low, "t.ptx"));
    }

    @Test
    void anOlderDriverIsRefusedWithBothVersions() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PtxHeader.forDriver(PTX, 11080, "t.ptx"));
        assertTrue(e.getMessage().contains("needs PTX ISA 8.0") && e.getMessage().contains("CUDA 11.8"), e.getMessage());
        String strict = PTX.replace("8.0", "8.5");
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> PtxHeader.forDriver(strict, 12000, "t.ptx"));
        assertTrue(e2.getMessage().contains("reads at most 8.0"), e2.getMessage());
    }
}
