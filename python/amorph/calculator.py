"""An ASE calculator on amorph's engines."""
import numpy as np
from ase.calculators.calculator import Calculator, all_changes

from ._system import System
from .potential import Engine, as_potential


class AmorphCalculator(Calculator):
    """Energy, forces, stress and per-atom energies from amorph's EAM engine.

    potential: a name ("mendelev2009", the default for Cu-Zr) or a file;
    skin: neighbour-list skin, Å. Units are ASE's (eV, Å; stress in eV/Å³,
    Voigt order xx yy zz yz xz xy, without the kinetic part, positive under
    tension). The numbers are amorph's own: for a configuration read with
    amorph.read they equal `amorph energy` bit for bit."""

    implemented_properties = ["energy", "free_energy", "energies", "forces", "stress"]
    default_parameters = {"potential": "mendelev2009", "skin": 1.0}

    def __init__(self, potential="mendelev2009", skin=1.0, **kwargs):
        super().__init__(potential=potential, skin=skin, **kwargs)
        self._potential = as_potential(potential)
        if self._potential.units != "metal":
            raise ValueError("AmorphCalculator speaks ASE's units (eV, Å); the potential is in LAMMPS %s units"
                             % self._potential.units)
        self._engine = None

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        atoms = self.atoms
        rebuild = self._engine is None or any(c in system_changes for c in ("numbers", "cell", "pbc", "masses"))
        if rebuild:
            self._engine = Engine(self._potential, System.from_atoms(atoms), self.parameters.skin)
        else:
            s = self._engine.system
            pos = atoms.get_positions()
            s.positions = pos if s.rotation is None else pos @ s.rotation
        r = self._engine.compute(per_atom=True, virial=True)
        s = self._engine.system
        w = s.tensor_out(r["virial"])
        stress = -w / s.volume
        self.results = {
            "energy": r["energy"],
            "free_energy": r["energy"],
            "energies": r["energies"],
            "forces": r["forces"],
            "stress": np.array([stress[0, 0], stress[1, 1], stress[2, 2], stress[1, 2], stress[0, 2], stress[0, 1]]),
        }
