"""The frozen bundle's entry point (installer/medins-desk.spec): ``medins-desk`` as the console
script of an installed wheel runs it, with the same commands and the GUI when none is given."""

import multiprocessing

from medins_desk.cli import main

if __name__ == "__main__":
    # The hall load run starts its counters as spawned processes: in a bundle they are this
    # executable again, which must become the worker rather than the command line.
    multiprocessing.freeze_support()
    main(prog_name="medins-desk")
